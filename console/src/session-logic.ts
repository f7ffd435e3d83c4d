/**
 * The page around the queue, decided without the DOM: what sign-in says and where it puts the
 * focus, how errors and notices read and how long they stay, when the automatic refresh runs.
 */
import { fallbackMessage, isUnauthorized, StaffApiError } from '../../lambdas/staff/client';

/** Queue and open detail refresh this often (and after every action). */
export const REFRESH_MS = 15_000;

/** An error as staff read it: the API's (or the client's) Chinese message, else what went wrong. */
export function errorText(error: unknown): string {
  return error instanceof StaffApiError ? error.message : `出错了：${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Whether a failure is worth a message where it happened. A 401 is not: the client already sent
 * everyone back to sign-in, which says why.
 */
export function worthTelling(error: unknown): boolean {
  return !isUnauthorized(error);
}

export const SIGN_IN_TEXT = {
  noToken: '请先粘贴登录令牌。',
  /** A token that worked stopped working (revoked, expired): the client's words for any 401. */
  expired: fallbackMessage(401),
  signedOut: '已退出。',
  startFailed: (error: unknown) => `工作台无法启动：${error instanceof Error ? error.message : String(error)}`,
  redirectFailed: (error: unknown) => `无法打开登录页面：${errorText(error)}`,
};

/** Why a pasted token did not sign in: a refused token is the person's to fix; anything else is ours. */
export function tokenProblem(error: unknown): string {
  return isUnauthorized(error) ? '令牌不对或已失效，请检查后重新粘贴。' : errorText(error);
}

export interface SignInView {
  /** The token form (`npm start`) or the button to Cognito's hosted UI. */
  form: 'token' | 'oidc';
  /** The message above the form, if any; the token field is then marked invalid and described by it. */
  error: string | undefined;
  tokenDescribedBy: string;
}

export function signInView(mode: 'token' | 'oidc', message: string | undefined): SignInView {
  return { form: mode, error: message || undefined, tokenDescribedBy: message ? 'sign-in-error token-hint' : 'token-hint' };
}

export type NoticeKind = 'info' | 'error';

export const NOTICE_TIMING = {
  /** The text goes in this long after the notice was emptied, so the same message twice is announced twice. */
  announceAfterMs: 30,
  /** Success fades after this long; errors stay until the next message. */
  infoFadesAfterMs: 8_000,
} as const;

export function fadesAfter(kind: NoticeKind): number | undefined {
  return kind === 'info' ? NOTICE_TIMING.infoFadesAfterMs : undefined;
}

export interface RefreshConditions {
  /** The tab is in the background. */
  pageHidden: boolean;
  /** Actions in flight: their answers refresh the list and detail themselves. */
  actionsInFlight: number;
  /** The queue is on screen (signed in). */
  working: boolean;
}

/** Whether an automatic refresh (the timer, the tab coming back) reads the queue now. */
export function shouldAutoRefresh(conditions: RefreshConditions): boolean {
  return !conditions.pageHidden && conditions.actionsInFlight === 0 && conditions.working;
}
