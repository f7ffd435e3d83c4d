import type { Content } from '../../content/content';
import type { LabelledText } from './corpus';

/** The content's menu labels and match phrases, as training lines that every fold learns from. */
export function contentExamples(content: Content): LabelledText[] {
  return [...content.topics.values()].flatMap((topic) =>
    [topic.menuLabel, ...topic.phrases].map((q) => ({ q, ok: [topic.id], style: 'content', source: 'topics.json' })),
  );
}
