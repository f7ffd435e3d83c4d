import menuJson from '../../content/zh-CN/menu.json';
import promptsJson from '../../content/zh-CN/prompts.json';
import topicsJson from '../../content/zh-CN/topics.json';
import {
  MenuFileSchema,
  PromptsFileSchema,
  TopicsFileSchema,
  type MenuFile,
  type PromptsFile,
  type Topic,
  type TopicId,
} from './schema';

/** The hotline's words and menu structure, validated. Data lives in content/zh-CN; this is its typed view. */
export interface Content {
  topics: ReadonlyMap<TopicId, Topic>;
  menu: MenuFile;
  prompts: PromptsFile;
}

export function parseContent(raw: { topics: unknown; menu: unknown; prompts: unknown }): Content {
  const topics = TopicsFileSchema.parse(raw.topics);
  const menu = MenuFileSchema.parse(raw.menu);
  const prompts = PromptsFileSchema.parse(raw.prompts);
  return { topics: new Map(topics.map((t) => [t.id, t])), menu, prompts };
}

let bundled: Content | undefined;

/** The content shipped with the code (JSON bundled by esbuild), parsed once per process. */
export function bundledContent(): Content {
  bundled ??= parseContent({ topics: topicsJson, menu: menuJson, prompts: promptsJson });
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
