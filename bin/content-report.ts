// npm run content -- : each topic's spoken length (estimated) and SMS size, and the greeting + main menu length.
import { SegmentedMessage } from 'sms-segments-calculator';
import { bundledContent } from '../lambdas/content/content';
import { estimateSpeechSeconds } from '../lambdas/content/speech-time';
import { VoiceMenu } from '../lambdas/voice/menu';
import { speakNumbers } from '../lambdas/voice/spoken-numbers';

const content = bundledContent();
const footer = content.prompts.sms.footer;
process.stdout.write('topic               speech   SMS+footer\n');
for (const topic of content.topics.values()) {
  const sms = new SegmentedMessage(topic.sms + footer);
  const seconds = estimateSpeechSeconds(speakNumbers(topic.speech)).toFixed(1).padStart(5);
  process.stdout.write(`${topic.id.padEnd(18)} ${seconds} s   ${String(sms.numberOfCharacters).padStart(3)} chars, ${sms.segmentsCount} segments\n`);
}

const greeting = new VoiceMenu(content, () => ({ topic: null, reason: 'unmatched', score: 0, candidates: [], top: null })).answer();
const total = greeting.say.reduce((sum, text) => sum + estimateSpeechSeconds(speakNumbers(text)), 0);
process.stdout.write(`greeting + main menu: ${total.toFixed(1)} s (estimated, budget 35 s)\n`);
