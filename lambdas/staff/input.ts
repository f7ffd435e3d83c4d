/**
 * The staff API's input, validated with zod/mini (the same checks as zod, a few KB in the bundle).
 * Parsers return either the value or the list of problems, which the API sends back as a 400.
 */
import * as z from 'zod/mini';
import { CALLBACK_OUTCOMES, CALLBACK_STATUSES } from '../callbacks/store';
import { LIMITS } from '../callbacks/text-cleaning';
import { TOPIC_IDS, type TopicId } from '../content/topic-ids';

export interface InputIssue {
  path: string;
  message: string;
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

const version = z.optional(z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER)));

const claimBody = z.strictObject({ version });
const outcomeBody = z.strictObject({
  outcome: z.enum(CALLBACK_OUTCOMES as [string, ...string[]], { error: `expected one of: ${CALLBACK_OUTCOMES.join(', ')}` }),
  note: z.optional(z.string().check(z.maxLength(LIMITS.note))),
  version,
});

const limit = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25);
const cursor = z.optional(z.string().check(z.minLength(1), z.maxLength(1024)));
const trueOrFalse = z.optional(z.enum(['true', 'false'], { error: 'expected true or false' }));

const listQuery = z.object({
  status: z._default(z.enum(CALLBACK_STATUSES as [string, ...string[]], { error: `expected one of: ${CALLBACK_STATUSES.join(', ')}` }), 'open'),
  limit,
  cursor,
  urgentAfter: trueOrFalse,
});

const inboxQuery = z.object({ labelled: trueOrFalse, limit, cursor });
// `topic` must be there: null says "none of the topics", a missing one is a mistake.
const labelBody = z.strictObject({ topic: z.nullable(z.enum(TOPIC_IDS, { error: `expected a topic id (${TOPIC_IDS.join(', ')}) or null` })) });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const exportQuery = z.object({
  from: z.optional(z.string().check(z.regex(DATE, 'expected YYYY-MM-DD'))),
  to: z.optional(z.string().check(z.regex(DATE, 'expected YYYY-MM-DD'))),
});

function issuesOf(error: z.core.$ZodError): InputIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown): Parsed<T> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) };
}

/** A JSON object body; an empty body is `{}` (claim and release need nothing). */
function parseJsonObject(body: string): Parsed<unknown> {
  if (!body.trim()) return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, issues: [{ path: '(body)', message: 'expected a JSON object' }] };
    return { ok: true, value };
  } catch {
    return { ok: false, issues: [{ path: '(body)', message: 'not valid JSON' }] };
  }
}

export type ClaimBody = { version?: number };
export type OutcomeBody = { outcome: (typeof CALLBACK_OUTCOMES)[number]; note?: string; version?: number };
export type ListQuery = { status: (typeof CALLBACK_STATUSES)[number]; limit: number; cursor?: string; urgentAfter: boolean };
export type ExportQuery = { from?: string; to?: string };
export type InboxQuery = { labelled?: boolean; limit: number; cursor?: string };
export type LabelBody = { topic: TopicId | null };

export function parseClaimBody(body: string): Parsed<ClaimBody> {
  const json = parseJsonObject(body);
  return json.ok ? parseWith(claimBody, json.value) : json;
}

export function parseOutcomeBody(body: string): Parsed<OutcomeBody> {
  const json = parseJsonObject(body);
  return json.ok ? (parseWith(outcomeBody, json.value) as Parsed<OutcomeBody>) : json;
}

/** `?limit=&cursor=` (empty values) means "not given", as forms and scripts send them. */
function given(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...query].filter(([, value]) => value !== ''));
}

export function parseListQuery(query: URLSearchParams): Parsed<ListQuery> {
  const parsed = parseWith(listQuery, given(query));
  if (!parsed.ok) return parsed;
  const { urgentAfter, ...rest } = parsed.value;
  return { ok: true, value: { ...(rest as Omit<ListQuery, 'urgentAfter'>), urgentAfter: urgentAfter === 'true' } };
}

export function parseExportQuery(query: URLSearchParams): Parsed<ExportQuery> {
  return parseWith(exportQuery, given(query));
}

export function parseInboxQuery(query: URLSearchParams): Parsed<InboxQuery> {
  const parsed = parseWith(inboxQuery, given(query));
  if (!parsed.ok) return parsed;
  const { labelled, ...rest } = parsed.value;
  return { ok: true, value: { ...rest, ...(labelled ? { labelled: labelled === 'true' } : {}) } };
}

export function parseLabelBody(body: string): Parsed<LabelBody> {
  const json = parseJsonObject(body);
  return json.ok ? parseWith(labelBody, json.value) : json;
}
