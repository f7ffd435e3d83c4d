import type { Label } from '../model';
import type { LabelledText } from './corpus';

/** What the hotline did with a question, as far as evaluation is concerned. */
export type Reply = { kind: 'answer'; topic: Label } | { kind: 'ask'; choices: Label[] } | { kind: 'menu' };

/**
 * - `right`: answered with an acceptable topic, or the menu when nothing fits (null acceptable);
 * - `wrong`: answered with a topic that is not acceptable (the failure that matters most);
 * - `asked`: asked back between two topics (`helpful` when one of them is acceptable);
 * - `menu`: the menu although a topic was expected.
 */
export type Outcome = 'right' | 'wrong' | 'asked' | 'menu';

export function outcomeOf(reply: Reply, ok: readonly Label[]): Outcome {
  if (reply.kind === 'answer') return ok.includes(reply.topic) ? 'right' : 'wrong';
  if (reply.kind === 'ask') return 'asked';
  return ok.includes(null) ? 'right' : 'menu';
}

export interface Tally {
  total: number;
  /** The best-ranked label (after the safety check) is acceptable, whatever the bands then did with it. */
  top1: number;
  right: number;
  wrong: number;
  asked: number;
  /** Asked back with an acceptable topic among the two choices. */
  askedHelpfully: number;
  menu: number;
}

export function emptyTally(): Tally {
  return { total: 0, top1: 0, right: 0, wrong: 0, asked: 0, askedHelpfully: 0, menu: 0 };
}

export function add(tally: Tally, { reply, top }: Judged, ok: readonly Label[]): void {
  const outcome = outcomeOf(reply, ok);
  tally.total++;
  if (ok.includes(top)) tally.top1++;
  tally[outcome]++;
  if (reply.kind === 'ask' && reply.choices.some((c) => ok.includes(c))) tally.askedHelpfully++;
}

/** What the hotline replied, and the label it ranked first. */
export interface Judged {
  reply: Reply;
  top: Label;
}

export interface Report {
  all: Tally;
  byStyle: Map<string, Tally>;
  /** Keyed by the first acceptable label ("null" for the menu). */
  byTopic: Map<string, Tally>;
  /** expected (first acceptable) → what was answered, for wrong answers only. */
  confusions: Map<string, number>;
  /** expected (first acceptable label) → reply ("ask", "menu" or the topic answered) → count, for every line. */
  matrix: Map<string, Map<string, number>>;
  misses: { item: LabelledText; reply: Reply }[];
}

export function report(items: readonly LabelledText[], judge: (item: LabelledText, index: number) => Judged): Report {
  const result: Report = { all: emptyTally(), byStyle: new Map(), byTopic: new Map(), confusions: new Map(), matrix: new Map(), misses: [] };
  items.forEach((item, index) => {
    const judged = judge(item, index);
    const { reply } = judged;
    add(result.all, judged, item.ok);
    const style = result.byStyle.get(item.style) ?? emptyTally();
    add(style, judged, item.ok);
    result.byStyle.set(item.style, style);
    const key = String(item.ok[0]);
    const topic = result.byTopic.get(key) ?? emptyTally();
    add(topic, judged, item.ok);
    result.byTopic.set(key, topic);
    const row = result.matrix.get(key) ?? new Map<string, number>();
    const column = reply.kind === 'answer' ? String(reply.topic) : reply.kind;
    row.set(column, (row.get(column) ?? 0) + 1);
    result.matrix.set(key, row);
    const outcome = outcomeOf(reply, item.ok);
    if (outcome !== 'right') result.misses.push({ item, reply });
    if (outcome === 'wrong' && reply.kind === 'answer') {
      const pair = `${key} → ${String(reply.topic)}`;
      result.confusions.set(pair, (result.confusions.get(pair) ?? 0) + 1);
    }
  });
  return result;
}

export const rate = (part: number, tally: Tally) => (tally.total ? part / tally.total : 0);

/** How the hotline's understanding step is judged: its reply, and the label it ranked first. */
export function judgeUnderstanding(u: { topic: Label; reason: string; choices?: readonly Label[]; top: Label }): Judged {
  if (u.topic !== null) return { reply: { kind: 'answer', topic: u.topic }, top: u.top };
  if (u.choices) return { reply: { kind: 'ask', choices: [...u.choices] }, top: u.top };
  return { reply: { kind: 'menu' }, top: u.top };
}
