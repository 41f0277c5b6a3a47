// API keys: issue (the secret is in that reply only), list, revoke.
import { parseJson, readJson } from "./shared.ts";
import type { CallOptions, Transport, WriteOptions } from "./transport.ts";
import type { ReplyBody, RequestBody, Schemas } from "./wire.ts";

export type KeySummary = Schemas["KeySummary"];
export type CreateKey = RequestBody<"/v1/keys", "post">;
export type IssuedKey = ReplyBody<"/v1/keys", "post", 201>;
export type KeyPage = ReplyBody<"/v1/keys", "get", 200>;

export class Keys {
  constructor(private readonly t: Transport) {}

  /**
   * Issues a key. Never retried after a request that may have reached the server: the secret is
   * never stored, so a lost reply cannot be replayed (list the keys and revoke the one it made).
   */
  async create(key: CreateKey, options: CallOptions = {}): Promise<IssuedKey> {
    const reply = await this.t.call({
      method: "POST",
      path: "/v1/keys",
      body: key,
      repeat: "unkeyed",
      signal: options.signal,
    });
    return parseJson<IssuedKey>(reply);
  }

  /** One page of keys (never their secrets); `tenant` narrows the root key's listing. */
  async list(
    options: { tenant?: string; limit?: number; cursor?: string } & CallOptions = {},
  ): Promise<KeyPage> {
    return readJson<KeyPage>(
      this.t,
      "/v1/keys",
      { tenant: options.tenant, limit: options.limit, cursor: options.cursor },
      options,
    );
  }

  /** Revokes a key: refused from the very next request. Repeating it changes nothing. */
  async revoke(id: string, options: WriteOptions = {}): Promise<void> {
    await this.t.call({
      method: "DELETE",
      path: `/v1/keys/${encodeURIComponent(id)}`,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
  }
}
