import { contentOf, type Content } from './content';
import { MenuFileSchema, PromptsFileSchema, TopicsFileSchema } from './schema';

/**
 * Validates raw content files; throws a ZodError listing every problem. Apart from the schema so that
 * the schema (types) and the content (data) do not import each other; the Lambdas never load zod for
 * content (the test suite validates what they ship).
 */
export function parseContent(raw: { topics: unknown; menu: unknown; prompts: unknown }): Content {
  return contentOf(TopicsFileSchema.parse(raw.topics), MenuFileSchema.parse(raw.menu), PromptsFileSchema.parse(raw.prompts));
}
