import { z } from 'zod';
import { TOPIC_IDS } from './topic-ids';

export { TOPIC_IDS, type TopicId } from './topic-ids';


export const TopicIdSchema = z.enum(TOPIC_IDS);

const chinese = /[\u4e00-\u9fff]/;

/** A public fact a topic states beyond the article, where it comes from, and when it was last checked. */
export const FactSchema = z.object({
  claim: z.string().min(6),
  /** A named law, regulation, official hotline or authority. */
  source: z.string().min(3),
  /** Year and month the claim was last checked against its source. */
  checked: z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/),
});

/** One line range of the source article (1-based, inclusive), with what we took from it. */
export const SourceRefSchema = z.object({
  lines: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  fact: z.string().min(4),
});

export const TopicSchema = z.object({
  id: TopicIdSchema,
  /** Short label read in the voice menu and shown in SMS sub-menus ("按1，…"). */
  menuLabel: z.string().min(2).max(14).regex(chinese),
  /** What the voice says for this topic: plain spoken Mandarin, no URLs, no lists with symbols. */
  speech: z.string().min(20).regex(chinese),
  /** The SMS answer, without the footer (the footer is added by the SMS renderer). */
  sms: z.string().min(20).regex(chinese),
  /** Phrases and synonyms a caller or texter might use for this topic (matcher input). */
  phrases: z.array(z.string().min(2)).min(5),
  /** Passages of the source article this answer rests on (empty when every fact is public, e.g. `crisis`). */
  sources: z.array(SourceRefSchema),
  /** Public facts the answer states beyond the article (laws, hotlines, authorities), each with its source. */
  facts: z.array(FactSchema),
});
export type Topic = z.infer<typeof TopicSchema>;

export const TopicsFileSchema = z
  .array(TopicSchema)
  .superRefine((topics, ctx) => {
    const seen = new Set(topics.map((t) => t.id));
    for (const id of TOPIC_IDS) {
      if (!seen.has(id)) ctx.addIssue({ code: 'custom', message: `missing topic ${id}` });
    }
    if (seen.size !== topics.length) ctx.addIssue({ code: 'custom', message: 'duplicate topic id' });
  });

const MenuKeySchema = z.string().regex(/^[1-8]$|^9$/);
const MenuItemSchema = z.union([
  z.object({ key: MenuKeySchema, topic: TopicIdSchema }),
  z.object({ key: MenuKeySchema, group: z.string().min(3) }),
]);
export type MenuItem = z.infer<typeof MenuItemSchema>;

export const MenuFileSchema = z
  .object({
    main: z.array(MenuItemSchema).min(1).max(8),
    groups: z.record(
      z.string().min(3),
      z.object({
        label: z.string().min(2),
        smsLabel: z.string().min(2).max(6),
        items: z.array(z.object({ key: z.string().regex(/^[1-8]$/), topic: TopicIdSchema })).min(1).max(8),
      }),
    ),
    /** Short names used where an SMS menu lists several topics in one segment. */
    smsLabels: z.record(TopicIdSchema, z.string().min(2).max(6)),
  })
  .superRefine((menu, ctx) => {
    const keys = menu.main.map((item) => item.key);
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', message: 'duplicate key in main menu' });
    for (const item of menu.main) {
      if ('group' in item && !menu.groups[item.group]) ctx.addIssue({ code: 'custom', message: `unknown group ${item.group}` });
    }
    for (const [name, group] of Object.entries(menu.groups)) {
      const groupKeys = group.items.map((item) => item.key);
      if (new Set(groupKeys).size !== groupKeys.length) ctx.addIssue({ code: 'custom', message: `duplicate key in ${name}` });
    }
  });
export type MenuFile = z.infer<typeof MenuFileSchema>;

const withPlaceholders = (...names: string[]) => names.reduce((schema, name) => schema.includes(`{${name}}`), z.string());

export const PromptsFileSchema = z.object({
  callback: z.object({
    /**
     * The windows staff call back in, Beijing time, in key order (1, 2, 3…) and in time order: `label`
     * is what callers hear, `word` what texters type. Days off are configuration (CALLBACK_DAYS_OFF).
     */
    windows: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/),
          label: z.string().min(2).max(12),
          word: z.string().min(1).max(4),
          from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
          /** A time of day, or 24:00 for a window that ends at midnight (24:30 would be the next day). */
          until: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/),
        }),
      )
      .min(1)
      .max(8)
      .refine((windows) => windows.every((w, i) => w.from < w.until && (i === 0 || windows[i - 1]!.until <= w.from)), 'windows must be in time order and not overlap'),
    voiceAnyWindow: withPlaceholders('key'),
    voiceTimeNotHeard: z.string(),
    /** The wish could not be met as said (outside staff hours, a day off): the time we can keep. */
    timeAdjusted: z.string(),
    /** Speech hints for the time question (Twilio `hints`). */
    voiceTimeHints: z.array(z.string().min(1).max(20)).max(50),
    voiceStart: z.string(),
    voiceChooseWindow: z.string(),
    voiceWindowItem: withPlaceholders('window', 'key'),
    voiceConfirmNumber: withPlaceholders('digits'),
    voiceNoCallerId: z.string(),
    voiceNotMobile: z.string(),
    voiceEnterNumber: z.string(),
    voiceBadNumber: z.string(),
    voiceTooManyTries: z.string(),
    voiceRegistered: withPlaceholders('code'),
    voicePromise: withPlaceholders('window'),
    voiceAfterRegistered: z.string(),
    voiceLimit: z.string(),
    /** The window of an urgent (crisis) request: no time to choose, staff call as soon as they can. */
    urgentWindow: z.string().min(2).max(12),
    voicePromiseUrgent: z.string(),
    smsUrgentRegistered: withPlaceholders('code'),
    voiceLimitPending: z.string(),
    /** A repeat (another call, or a number keyed in): never the code, never the window. */
    voiceAlreadyWaiting: z.string(),
    voiceUrgentWaiting: z.string(),
    smsLimitPending: z.string(),
    smsAlreadyWaiting: z.string(),
    smsWindowFixed: z.string(),
    smsNoRequest: z.string(),
    /** The store failed while taking a texted request: it may or may not have been stored. */
    smsUnconfirmed: z.string(),
    /** The lost-code path: texted back only to the number that asks, which is the number on the request. */
    smsCode: withPlaceholders('code', 'window'),
    smsRegistered: withPlaceholders('code', 'window'),
    smsUpdated: withPlaceholders('code', 'window'),
    smsAskWindow: z.string(),
    smsBadNumber: z.string(),
    anyWindow: z.string(),
  }),
  voice: z.object({
    greeting: z.string(),
    menuIntro: z.string(),
    groupIntro: z.string().includes('{label}'),
    item: z.string().includes('{label}').includes('{key}'),
    callbackItem: z.string(),
    navigation: z.string(),
    crisisHeard: z.string(),
    threatHeard: z.string(),
    afterTopic: z.string(),
    silence: z.string(),
    unknownKey: z.string(),
    notUnderstood: z.string(),
    heard: z.string().includes('{label}').includes('{key}'),
    afterHeardTopic: z.string().includes('{key}'),
    notHeard: z.string(),
    notThis: z.string(),
    unsure: z.string(),
    askBack: z.string().includes('{first}').includes('{second}'),
    /** Words callers are likely to say, for the recogniser (Twilio: ≤ 500 entries of ≤ 100 characters). */
    speechHints: z.array(z.string().min(1).max(100)).max(500),
    goodbye: z.string(),
    callbackUnavailable: z.string(),
    systemError: z.string(),
  }),
  sms: z.object({
    menu: z.string(),
    groupMenu: z.string().includes('{items}'),
    groupItem: z.string().includes('{key}'),
    footer: z.string(),
    unknownNumber: z.string(),
    askBack: z.string().includes('{firstKey}').includes('{first}').includes('{secondKey}').includes('{second}'),
    optOut: z.string(),
    optIn: z.string(),
    systemError: z.string(),
    /**
     * Words a whole text is matched against (after `normalizeKeyword`: lower case, half width, no
     * trailing punctuation). Twilio's own English opt-out and opt-in words are added by the router
     * for every language; these are the language's own.
     */
    keywords: z.object({
      menu: z.array(z.string()),
      optOut: z.array(z.string().min(1)),
      optIn: z.array(z.string().min(1)),
      code: z.array(z.string().min(1)),
      /** A text that starts with one of these asks for a callback; the rest may be a time ("回电 晚上"). */
      callback: z.array(z.string().min(1)).min(1),
      /** A callback asked for anywhere in a crisis text ("想死 回电"). */
      asksCallback: z.array(z.string().min(1)).min(1),
      /** "回31", "按1": a menu number quoted from one of our replies. */
      menuNumberPrefixes: z.array(z.string().min(1)),
    }),
  }).passthrough(),
});
export type PromptsFile = z.infer<typeof PromptsFileSchema>;

