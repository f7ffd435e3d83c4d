/**
 * Sign-in and sign-out: the token form (`npm start`) or Cognito's hosted UI, the way back to
 * sign-in when a token stops working, and which part of the page shows.
 */
import type { StaffClient } from '../../lambdas/staff/client';
import type { ConsoleContext, ConsoleElements } from './context';
import type { Notices } from './notices';
import { errorText, SIGN_IN_TEXT, signInView, tokenProblem, worthTelling } from './session-logic';

export function showOnly(el: ConsoleElements, part: 'sign-in' | 'work' | 'loading'): void {
  el.loading.hidden = part !== 'loading';
  el.signIn.hidden = part !== 'sign-in';
  el.work.hidden = part !== 'work';
  el.who.hidden = part !== 'work';
}

export interface SignInDeps {
  notices: Notices;
  /** A client that sends only `token`: a pasted token is tried before it is kept. */
  tokenClient(token: string): StaffClient;
  /** Stops the work area's timers and empties it of everything the last person saw and typed. */
  leaveWork(): void;
  /** Shows the queue to `staff`. */
  enterWork(staff: string): Promise<void>;
}

export interface SignIn {
  /** The sign-in form, with why when there is a reason. */
  show(message?: string): void;
  /** A 401 from any request: the token is forgotten and sign-in says why. */
  expired(): void;
  /** Into the queue with the token already held, else the sign-in form. */
  begin(): Promise<void>;
  wire(): void;
}

export function createSignIn({ el, auth, api }: ConsoleContext, deps: SignInDeps): SignIn {
  /** A 401 storm (list, detail and refresh at once) forgets the token and shows sign-in once. */
  let forgetting = false;

  function show(message?: string): void {
    deps.leaveWork();
    showOnly(el, 'sign-in');
    const view = signInView(auth.mode, message);
    el.signInError.hidden = view.error === undefined;
    el.signInError.textContent = view.error ?? '';
    el.tokenForm.hidden = view.form !== 'token';
    el.oidcSignIn.hidden = view.form !== 'oidc';
    el.tokenInput.setAttribute('aria-invalid', view.error ? 'true' : 'false');
    el.tokenInput.setAttribute('aria-describedby', view.tokenDescribedBy);
    (view.form === 'token' ? el.tokenInput : el.oidcButton).focus();
  }

  function expired(): void {
    if (forgetting) return;
    forgetting = true;
    deps.leaveWork();
    void auth.forget().finally(() => {
      forgetting = false;
      show(SIGN_IN_TEXT.expired);
    });
  }

  async function enter(): Promise<void> {
    let staff: string;
    try {
      ({ staff } = await api.me());
    } catch (error) {
      if (worthTelling(error)) show(errorText(error));
      return;
    }
    await deps.enterWork(staff);
  }

  function wire(): void {
    const submit = el.tokenForm.querySelector('button')!;
    el.tokenForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = el.tokenInput.value.trim();
      if (!token) {
        show(SIGN_IN_TEXT.noToken);
        return;
      }
      submit.disabled = true;
      deps
        .tokenClient(token)
        .me()
        .then(() => {
          auth.useToken(token);
          el.tokenInput.value = '';
          return enter();
        })
        .catch((error: unknown) => show(tokenProblem(error)))
        .finally(() => {
          submit.disabled = false;
        });
    });
    el.oidcButton.addEventListener('click', () => {
      auth.redirectToSignIn().catch((error: unknown) => show(SIGN_IN_TEXT.redirectFailed(error)));
    });
    el.signOut.addEventListener('click', () => {
      // Nothing of the request shown stays on the page, even while the sign-out is under way.
      deps.leaveWork();
      void auth
        .signOut()
        .then(() => show())
        .then(() => deps.notices.notify(SIGN_IN_TEXT.signedOut));
    });
  }

  return {
    show,
    expired,
    wire,
    async begin() {
      if (auth.initialError) show(auth.initialError);
      else if (await auth.token()) await enter();
      else show();
    },
  };
}
