/**
 * Topic and sub-menu names as callers meet them (each topic's menu label, each group's label, from
 * `content/zh-CN/`), and the topics in menu order: what the 统计 view and the inbox name topics by.
 *
 * The console's build (`console/build.ts`) strips `topics.json` to ids and menu labels, so the page
 * never carries the scripts and SMS texts; read nothing else of a topic here.
 */
import menuJson from '../../content/zh-CN/menu.json';
import topicsJson from '../../content/zh-CN/topics.json';

interface TopicName {
  id: string;
  menuLabel: string;
}

interface MenuShape {
  main: ({ key: string; topic: string } | { key: string; group: string })[];
  groups: Record<string, { label: string; items: { key: string; topic: string }[] }>;
}

const topics = topicsJson as readonly TopicName[];
const menu = menuJson as MenuShape;
const LABELS = new Map(topics.map((t) => [t.id, t.menuLabel]));

/** A topic's menu label; the id itself for one the content no longer has (old counts). */
export function topicName(id: string): string {
  return LABELS.get(id) ?? id;
}

/** A sub-menu's label (`报警和投诉`); the id for an unknown one. */
export function groupName(id: string): string {
  return menu.groups[id]?.label ?? id;
}

export interface TopicChoiceGroup {
  /** The sub-menu's label, or undefined for topics on the main menu. */
  group: string | undefined;
  topics: { id: string; label: string }[];
}

/**
 * Every topic once, in the order of the menu (main menu topics, each sub-menu's topics under its
 * label), then any topic the menu does not reach: the inbox's label choices.
 */
export function topicChoiceGroups(): TopicChoiceGroup[] {
  const choice = (id: string) => ({ id, label: topicName(id) });
  const groups: TopicChoiceGroup[] = [{ group: undefined, topics: [] }];
  for (const item of menu.main) {
    if ('topic' in item) groups[0]!.topics.push(choice(item.topic));
    else groups.push({ group: groupName(item.group), topics: (menu.groups[item.group]?.items ?? []).map((sub) => choice(sub.topic)) });
  }
  const listed = new Set(groups.flatMap((g) => g.topics.map((t) => t.id)));
  groups[0]!.topics.push(...topics.filter((t) => !listed.has(t.id)).map((t) => choice(t.id)));
  return groups;
}
