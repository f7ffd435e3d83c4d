import menuJson from '../../content/zh-CN/menu.json';
import promptsJson from '../../content/zh-CN/prompts.json';
import topicsJson from '../../content/zh-CN/topics.json';
import type { MenuFile, PromptsFile, Topic } from './schema';
import type { TopicId } from './topic-ids';

/** The hotline's words and menu structure, validated. Data lives in content/zh-CN; this is its typed view. */
export interface Content {
  topics: ReadonlyMap<TopicId, Topic>;
  menu: MenuFile;
  prompts: PromptsFile;
}

export function contentOf(topics: readonly Topic[], menu: MenuFile, prompts: PromptsFile): Content {
  return { topics: new Map(topics.map((t) => [t.id, t])), menu, prompts };
}

let bundled: Content | undefined;

/**
 * The content shipped with the code (JSON bundled by esbuild). It is validated against the schema
 * by the test suite (test/content.test.ts), so the Lambdas do not carry the schema library.
 */
export function bundledContent(): Content {
  bundled ??= contentOf(topicsJson as Topic[], menuJson as MenuFile, promptsJson as PromptsFile);
  return bundled;
}

export function topic(content: Content, id: TopicId): Topic {
  const found = content.topics.get(id);
  if (!found) throw new Error(`topic ${id} missing from content`);
  return found;
}

/** Fills `{name}` placeholders of a prompt. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Every topic reachable from the main menu, with the keys (voice) or number (SMS) that reach it: "1", "31". */
export function menuNumbers(content: Content): Map<TopicId, string> {
  const numbers = new Map<TopicId, string>();
  for (const item of content.menu.main) {
    if ('topic' in item) numbers.set(item.topic, item.key);
    else for (const sub of content.menu.groups[item.group]?.items ?? []) numbers.set(sub.topic, item.key + sub.key);
  }
  return numbers;
}
