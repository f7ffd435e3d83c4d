// zod/mini: the same checks as zod, tree-shaken to a few KB in the Lambda bundle.
import * as z from 'zod/mini';

/** A list cursor as the store issues it (a `by-status` index key): anything else is refused. */
export const cursorSchema = z.strictObject({
  pk: z.string().check(z.maxLength(64)),
  status: z.enum(['open', 'claimed', 'unreached', 'done']),
  createdAt: z.string().check(z.maxLength(40)),
});
