// npm run content -- : each topic's spoken length (estimated) and SMS size, and the greeting + main menu length.
import { SegmentedMessage } from 'sms-segments-calculator';
import { bundledContent } from '../lambdas/content/content';
import { estimateSpeechSeconds } from '../lambdas/content/speech-time';

const content = bundledContent();
const footer = content.prompts.sms.footer;
process.stdout.write('topic               speech   SMS+footer\n');
for (const topic of content.topics.values()) {
  const sms = new SegmentedMessage(topic.sms + footer);
  const seconds = estimateSpeechSeconds(topic.speech).toFixed(1).padStart(5);
  process.stdout.write(`${topic.id.padEnd(18)} ${seconds} s   ${String(sms.numberOfCharacters).padStart(3)} chars, ${sms.segmentsCount} segments\n`);
}
