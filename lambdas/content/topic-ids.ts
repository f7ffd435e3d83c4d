/** Topic ids are part of the interface: `npm run ask`, the tests and the menus use them. */
export const TOPIC_IDS = [
  'permissions',
  'licensed-lenders',
  'block-harassment',
  'warn-contacts',
  'negotiate',
  'evidence',
  'report-carrier',
  'report-police',
  'report-regulator',
  'legality',
  'already-exposed',
  'for-contacts',
  'lawsuit',
  'illegal-loans',
  'debt-relief-scams',
  'credit-record',
  'crisis',
  'callback',
] as const;

export type TopicId = (typeof TOPIC_IDS)[number];

export function isTopicId(id: string): id is TopicId {
  return (TOPIC_IDS as readonly string[]).includes(id);
}
