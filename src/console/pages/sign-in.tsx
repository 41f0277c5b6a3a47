import type { FC } from "hono/jsx";

export interface SignInProps {
  next: string;
  tenant?: string;
  error?: string;
  notice?: string;
}

export const SignInPage: FC<SignInProps> = ({ next, tenant, error, notice }) => (
  <div class="signin">
    <div class="brand-big">
      <span class="logo" aria-hidden="true"></span>edgestate
    </div>
    <div class="card">
      <h1>Sign in to the console</h1>
      {notice ? (
        <div class="alert info" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {error ? (
        <div class="alert error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      <form method="post" action="/console/sign-in">
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label for="key">API key</label>
          <input id="key" name="key" type="password" autocomplete="off" required spellcheck={false} />
        </div>
        <div class="field">
          <label for="tenant">
            Tenant <span class="hint">— for the root key; a tenant key always acts on its own tenant</span>
          </label>
          <input id="tenant" name="tenant" value={tenant ?? ""} placeholder="default" spellcheck={false} />
        </div>
        <button type="submit">Sign in</button>
      </form>
    </div>
    <p class="muted small">
      The key is checked like any API request, then kept in an HttpOnly cookie for this console only.
    </p>
  </div>
);
