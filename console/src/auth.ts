/**
 * Sign-in, two ways behind one interface:
 * - `token` (npm start): a bearer token pasted into a form or given as `#token=…` in the URL; kept
 *   in sessionStorage (gone when the tab closes), the fragment removed from the address bar.
 * - `oidc` (AWS): Cognito's hosted UI, code flow with PKCE, through oidc-client-ts. That library is
 *   loaded with `import()`, so token sign-in never downloads it.
 */
import type { ConsoleConfig } from '../../lambdas/staff/contract';

export interface Auth {
  mode: 'token' | 'oidc';
  /** The bearer token, or undefined when not signed in. */
  token(): Promise<string | undefined>;
  /** Token mode: remembers a token (after the API accepted it). */
  useToken(token: string): void;
  /** OIDC mode: goes to the hosted UI (the page unloads). */
  redirectToSignIn(): Promise<void>;
  /** Forgets the session here; OIDC mode then leaves for Cognito's logout when configured. */
  signOut(): Promise<void>;
  /** Forgets a token the API refused. */
  forget(): Promise<void>;
  /** Why the last sign-in did not complete (OIDC: an error from the hosted UI), if it did not. */
  initialError?: string;
}

const TOKEN_KEY = 'hotline.staff.token';

function session(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** Takes `#token=…` out of the address bar (before anything else can read or log it). */
export function takeFragmentToken(): string | undefined {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = fragment.get('token')?.trim();
  if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token || undefined;
}

function tokenAuth(): Auth {
  let memory: string | undefined = session()?.getItem(TOKEN_KEY) ?? undefined;
  const fromFragment = takeFragmentToken();
  if (fromFragment) {
    memory = fromFragment;
    session()?.setItem(TOKEN_KEY, fromFragment);
  }
  const forget = () => {
    memory = undefined;
    session()?.removeItem(TOKEN_KEY);
    return Promise.resolve();
  };
  return {
    mode: 'token',
    token: () => Promise.resolve(memory),
    useToken(token) {
      memory = token;
      session()?.setItem(TOKEN_KEY, token);
    },
    redirectToSignIn: () => Promise.resolve(),
    signOut: forget,
    forget,
  };
}

type OidcSettings = Extract<ConsoleConfig['auth'], { mode: 'oidc' }>;

async function oidcAuth(settings: OidcSettings): Promise<Auth> {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const manager = new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    post_logout_redirect_uri: settings.redirectUri,
    scope: settings.scope,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renewal uses the refresh token Cognito issues (no hidden iframe, which the CSP forbids).
    automaticSilentRenew: false,
  });

  let initialError: string | undefined;
  const query = new URLSearchParams(window.location.search);
  if (query.has('state') && (query.has('code') || query.has('error'))) {
    try {
      await manager.signinRedirectCallback();
    } catch (error) {
      initialError = `登录没有完成（${error instanceof Error ? error.message : String(error)}），请重新登录。`;
    } finally {
      // The code is single-use: take it out of the address bar whether it worked or not.
      window.history.replaceState(null, '', new URL(settings.redirectUri, window.location.href).pathname);
    }
  }

  async function token(): Promise<string | undefined> {
    let user = await manager.getUser();
    if (user?.expired && user.refresh_token) {
      try {
        user = await manager.signinSilent();
      } catch {
        user = null;
      }
    }
    return user && !user.expired ? user.access_token : undefined;
  }

  return {
    mode: 'oidc',
    ...(initialError ? { initialError } : {}),
    token,
    useToken: () => undefined,
    redirectToSignIn: () => manager.signinRedirect(),
    async signOut() {
      await manager.removeUser();
      if (settings.logoutUrl) window.location.assign(settings.logoutUrl);
    },
    forget: () => manager.removeUser(),
  };
}

export function createAuth(config: ConsoleConfig): Promise<Auth> {
  return config.auth.mode === 'oidc' ? oidcAuth(config.auth) : Promise.resolve(tokenAuth());
}

/** Reads and checks `config.json` (beside index.html and app.js). */
export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(new URL('config.json', import.meta.url), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<ConsoleConfig>;
  const auth = config.auth as Partial<OidcSettings> | { mode?: string } | undefined;
  if (typeof config.apiBaseUrl !== 'string' || !auth || (auth.mode !== 'token' && auth.mode !== 'oidc')) throw new Error('config.json: apiBaseUrl and auth.mode are required');
  if (auth.mode === 'oidc') {
    const o = auth as Partial<OidcSettings>;
    if (!o.authority || !o.clientId || !o.redirectUri || !o.scope) throw new Error('config.json: oidc needs authority, clientId, redirectUri and scope');
  }
  return config as ConsoleConfig;
}
