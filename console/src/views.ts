/**
 * DOM for one request: the queue card, the detail's facts, the call block (number, call script,
 * outcome form) and the history. Every value from the API goes in as text.
 */
import type { CallbackOutcome, StaffCallback } from '../../lambdas/staff/contract';
import { channelLabel, CODE_LABEL, DUE_TEXT, FIELD_LABELS, NUMBER_SOURCE_TEXT, outcomeLabel, STATUS_LABELS, URGENT_TEXT } from '../../lambdas/staff/labels';
import { h, type Child } from './dom';
import {
  canTakeOver,
  claimLapsed,
  claimText,
  displayPhone,
  dueNow,
  dueSlotText,
  formatTime,
  historyLines,
  lapsedText,
  LEASE_TEXT,
  NOTE_MAX,
  OUTCOMES,
  telHref,
  topicShown,
  waitingText,
} from './format';

function fact(label: string, ...value: Child[]): Child[] {
  return [h('dt', null, label), h('dd', null, ...value)];
}

/**
 * The red 紧急 mark: the word itself, not colour alone. With `described`, screen readers hear why
 * (`紧急：来电人情绪危机，请尽快回电`) instead of the bare word, e.g. as part of a card's name.
 */
export function urgentBadge(described: boolean): HTMLElement {
  return described
    ? h('span', { class: 'badge urgent' }, h('span', { attrs: { 'aria-hidden': 'true' } }, URGENT_TEXT.label), h('span', { class: 'visually-hidden' }, URGENT_TEXT.description))
    : h('span', { class: 'badge urgent' }, URGENT_TEXT.label);
}

/** The line at the top of an urgent request's detail: what to do first on the call. */
export function urgentNote(): Child[] {
  return [urgentBadge(false), ' ', URGENT_TEXT.guidance];
}

/** `现在该打` / `已过约定时间` / `还没到时间`, by the console's clock: in words, not colour alone. */
function dueBadge(item: StaffCallback, now: Date): Child {
  const state = dueNow(item, now);
  return state ? h('span', { class: `badge due-${state}` }, DUE_TEXT[state]) : null;
}

/** The promised time in Beijing time, with its badge. */
function dueFact(item: StaffCallback, now: Date): Child[] {
  return fact(FIELD_LABELS.due, dueSlotText(item, now), ' ', dueBadge(item, now));
}

/** Who holds the claim and since when, marked when the lease ran out (for `viewer`). */
function claimFact(item: StaffCallback, now: Date, viewer: string): Child[] {
  if (item.status !== 'claimed' || !item.claimedBy) return [];
  const lapsed = claimLapsed(item, now);
  return fact(
    '认领',
    h('span', { class: 'claim-text' }, claimText(item, now)),
    lapsed ? ' ' : null,
    lapsed ? h('span', { class: canTakeOver(item, viewer, now) ? 'badge lapsed' : 'badge lapsed mine' }, lapsedText(item, viewer)) : null,
  );
}

/** A queue card; `viewer` is the staff member signed in (a lapsed claim of someone else is marked for them). */
export function card(item: StaffCallback, now: Date, selected: boolean, open: (id: string) => void, viewer: string): HTMLLIElement {
  const button = h(
    'button',
    { class: 'card-open', attrs: { type: 'button', 'data-id': item.id, 'aria-current': selected ? 'true' : undefined }, on: { click: () => open(item.id) } },
    item.urgent ? urgentBadge(true) : null,
    item.urgent ? ' ' : null,
    h('span', { class: 'code' }, `${CODE_LABEL} ${item.code}`),
    ' ',
    h('span', { class: 'phone' }, item.phoneVisible ? displayPhone(item.phone) : item.phone),
  );
  const when =
    item.status === 'done'
      ? `${endedAs(item)} · ${formatTime(item.closedAt)}${item.closedBy ? ` · ${item.closedBy}` : ''}`
      : waitingText(item.createdAt, now);
  const classes = ['card', selected ? 'selected' : '', canTakeOver(item, viewer, now) ? 'lapsed' : '', item.urgent ? 'urgent' : ''].filter(Boolean).join(' ');
  return h(
    'li',
    { class: classes, attrs: { 'data-id': item.id } },
    h('h3', { class: 'card-title' }, button),
    h('p', { class: item.status === 'done' ? 'when' : 'when waiting' }, when),
    h(
      'dl',
      { class: 'facts' },
      ...dueFact(item, now),
      ...fact(FIELD_LABELS.topic, topicShown(item)),
      ...fact(FIELD_LABELS.attempts, `${item.attempts} 次`),
      ...(item.repeats ? fact(FIELD_LABELS.repeats, `${item.repeats} 次`) : []),
      ...claimFact(item, now, viewer),
      ...fact('渠道', channelLabel(item.channel)),
    ),
  );
}

/** `已接通`, or `已结束` for a request closed without an outcome. */
function endedAs(item: StaffCallback): string {
  return item.outcome ? outcomeLabel(item.outcome) : STATUS_LABELS.done;
}

function otherTopics(item: StaffCallback): string[] {
  return item.topicLabels.filter((label) => label !== topicShown(item));
}

export function phoneNode(item: StaffCallback): Child {
  const href = item.phoneVisible ? telHref(item.phone) : undefined;
  return href ? h('a', { class: 'tel', attrs: { href } }, displayPhone(item.phone)) : h('span', null, item.phone);
}

export function infoRows(item: StaffCallback, now: Date, viewer: string): Child[] {
  return [
    ...fact(FIELD_LABELS.status, STATUS_LABELS[item.status] ?? item.status),
    ...claimFact(item, now, viewer),
    ...fact(FIELD_LABELS.phone, phoneNode(item), item.phoneVisible ? '' : h('span', { class: 'muted small' }, '（认领后显示完整号码）')),
    ...fact(CODE_LABEL, h('strong', { class: 'code' }, item.code)),
    ...dueFact(item, now),
    ...fact('对来电人说的时间', item.window),
    ...fact(FIELD_LABELS.topic, topicShown(item)),
    ...(otherTopics(item).length ? fact(FIELD_LABELS.otherTopics, otherTopics(item).join('、')) : []),
    ...(item.question ? fact(FIELD_LABELS.question, h('span', { class: 'question' }, `“${item.question}”`), h('span', { class: 'muted small' }, '（号码已隐去）')) : []),
    ...fact('渠道', channelLabel(item.channel)),
    ...(item.numberSource ? fact('号码来自', h('span', { class: item.numberSource === 'keyed-in' ? 'warn' : '' }, NUMBER_SOURCE_TEXT[item.numberSource])) : []),
    ...fact('提交时间', formatTime(item.createdAt), item.status === 'done' ? '' : `（${waitingText(item.createdAt, now)}）`),
    ...fact(FIELD_LABELS.attempts, `${item.attempts} 次`),
    ...(item.repeats ? fact(FIELD_LABELS.repeats, `${item.repeats} 次`) : []),
    ...(item.status === 'done'
      ? fact(FIELD_LABELS.outcome, endedAs(item), item.closedBy ? ` · ${item.closedBy}` : '', item.closedAt ? ` · ${formatTime(item.closedAt)}` : '')
      : []),
    ...(item.note ? fact(FIELD_LABELS.note, h('span', { class: 'note' }, item.note)) : []),
  ];
}

export function historyItems(item: StaffCallback): HTMLLIElement[] {
  return historyLines(item).map((line) =>
    h(
      'li',
      null,
      h('span', { class: 'history-time' }, line.time),
      ' ',
      h('span', { class: 'history-who' }, line.who),
      ' ',
      h('strong', { class: 'history-action' }, line.action),
      line.detail ? h('span', { class: 'history-detail' }, `：${line.detail}`) : null,
      line.note ? h('span', { class: 'note history-note' }, `备注：${line.note}`) : null,
    ),
  );
}

/** What staff say and must never do on the call. */
export function callScript(item: StaffCallback): HTMLElement {
  const topic = item.topicLabel ?? item.topic;
  return h(
    'section',
    { class: 'script', attrs: { 'aria-labelledby': 'script-title' } },
    h('h3', { attrs: { id: 'script-title' } }, '通话要点'),
    h(
      'ol',
      null,
      h('li', null, `先确认安全：“您好，现在方便说话吗？”对方不方便（身边有人、在开车），就约个时间，挂断后记“${outcomeLabel('no-answer')}”，备注写上约好的时间。`),
      h('li', null, `先报${CODE_LABEL}：“我是求助热线的工作人员，您的${CODE_LABEL}是 `, h('strong', { class: 'code' }, item.code), '。”让对方确认这是他要的回电。'),
      h('li', null, h('strong', null, '绝不'), '向对方要钱、银行卡号、密码或验证码；不让对方转账、下载软件或点链接；不替任何平台催收，也不推荐任何贷款。'),
      h('li', null, '先听对方说完，再按情况给建议：保留录音截图、提前告诉亲友、向运营商和警方投诉、向金融监管部门反映、与平台协商还款。', topic ? `对方选的话题：${topic}。` : ''),
      h('li', null, '结束前问对方还需不需要再回电；挂断后马上在下面记录结果。备注里不要写完整号码或身份证号。'),
    ),
  );
}

export interface OutcomeDraft {
  outcome?: CallbackOutcome;
  note: string;
}

export interface CallBlockHandlers {
  draft: OutcomeDraft;
  onDraft: (draft: OutcomeDraft) => void;
  onOutcome: (outcome: CallbackOutcome | undefined, note: string) => void;
  onRelease: () => void;
}

/** The claim holder's block: the number to dial, the script, the outcome form and release. */
export function callBlock(item: StaffCallback, handlers: CallBlockHandlers): HTMLElement {
  const draft = { ...handlers.draft };
  const href = telHref(item.phone);
  const count = h('p', { class: 'muted small', attrs: { id: 'note-count' } }, `${draft.note.length} / ${NOTE_MAX} 字`);
  const note = h('textarea', { attrs: { id: 'note', name: 'note', rows: '3', maxlength: String(NOTE_MAX), 'aria-describedby': 'note-count' } });
  note.value = draft.note;
  note.addEventListener('input', () => {
    draft.note = note.value;
    count.textContent = `${note.value.length} / ${NOTE_MAX} 字`;
    handlers.onDraft({ ...draft });
  });
  const choices = OUTCOMES.map((o) => {
    const input = h('input', { attrs: { type: 'radio', name: 'outcome', value: o.value, checked: draft.outcome === o.value } });
    input.addEventListener('change', () => {
      draft.outcome = o.value;
      handlers.onDraft({ ...draft });
    });
    return h('label', { class: 'choice' }, input, h('span', { class: 'choice-label' }, o.label), h('span', { class: 'choice-hint' }, o.hint));
  });
  const form = h(
    'form',
    { class: 'outcome-form', attrs: { id: 'outcome-form', novalidate: true } },
    h('fieldset', null, h('legend', null, '通话结果'), ...choices),
    h('label', { attrs: { for: 'note' } }, `备注（可选，最多 ${NOTE_MAX} 字）`),
    note,
    count,
    h(
      'div',
      { class: 'buttons' },
      h('button', { class: 'primary', attrs: { type: 'submit' } }, '保存结果'),
      h('button', { attrs: { type: 'button' }, on: { click: () => handlers.onRelease() } }, '放回队列（不打了）'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onOutcome(draft.outcome, note.value.trim());
  });
  return h(
    'div',
    { class: 'call' },
    h(
      'p',
      { class: 'tel-line' },
      '拨打：',
      href ? h('a', { class: 'tel big', attrs: { href } }, displayPhone(item.phone)) : h('strong', null, item.phone),
      h('span', { class: 'muted small' }, ' 用国内线路拨打'),
    ),
    callScript(item),
    form,
  );
}

export function claimBlock(onClaim: () => void): HTMLElement {
  return h(
    'div',
    { class: 'claim' },
    h('p', { class: 'muted' }, '认领后才显示完整号码；同一时间只有一位同事能认领。'),
    h('button', { class: 'primary', attrs: { type: 'button', id: 'claim-button' }, on: { click: onClaim } }, '认领'),
  );
}

/** A lapsed claim of someone else: take it over through the ordinary claim. */
export function takeOverBlock(item: StaffCallback, onTakeOver: () => void): HTMLElement {
  const holder = item.claimedBy ?? '其他同事';
  return h(
    'div',
    { class: 'claim take-over' },
    h('p', null, `${holder} 的认领已超过 ${LEASE_TEXT}，可以接手。接手后显示完整号码，由你回电并记录结果；${holder} 就不能再记录结果了。`),
    h('button', { class: 'primary', attrs: { type: 'button', id: 'take-over-button' }, on: { click: onTakeOver } }, '接手'),
  );
}

export function heldBlock(item: StaffCallback): HTMLElement {
  return h('p', { class: 'held' }, `已被 ${item.claimedBy ?? '其他同事'} 认领，正在处理。`);
}

export function doneBlock(item: StaffCallback): HTMLElement {
  return h('p', { class: 'held' }, `这条请求${STATUS_LABELS.done}：${endedAs(item)}。`);
}
