import { fill, menuNumbers, topic, type Content } from '../content/content';
import type { SmsIntent } from './router';

/**
 * The text of an SMS reply for an intent (not for callbacks or opt-outs, which depend on storage).
 * Topic answers carry the footer saying how to get the menu and a callback.
 */
export function smsReplyText(intent: Exclude<SmsIntent, { kind: 'callback' | 'optOut' | 'optIn' | 'crisis' | 'code' }>, content: Content): string {
  const sms = content.prompts.sms;
  switch (intent.kind) {
    case 'topic':
      return topic(content, intent.topic).sms + sms.footer;
    case 'group':
      return groupMenu(intent.group, content);
    case 'ask': {
      const numbers = menuNumbers(content);
      const [first, second] = intent.choices;
      return fill(sms.askBack, {
        // Stryker disable next-line StringLiteral: equivalent — every topic has a menu number (content.test.ts), so the fallback is never read.
        firstKey: numbers.get(first) ?? '',
        first: topic(content, first).menuLabel,
        // Stryker disable next-line StringLiteral: equivalent — as above.
        secondKey: numbers.get(second) ?? '',
        second: topic(content, second).menuLabel,
      });
    }
    case 'menu':
      return intent.notice === 'unknownNumber' ? sms.unknownNumber + sms.menu : sms.menu;
  }
}

export function groupMenu(name: string, content: Content): string {
  const sms = content.prompts.sms;
  const main = content.menu.main.find((item) => 'group' in item && item.group === name);
  const group = content.menu.groups[name];
  if (!main || !group) return sms.menu;
  const items = group.items
    .map((item) => fill(sms.groupItem, { key: main.key + item.key, label: content.menu.smsLabels[item.topic] ?? topic(content, item.topic).menuLabel }))
    .join(' ');
  return fill(sms.groupMenu, { label: group.smsLabel, items });
}
