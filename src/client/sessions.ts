// Sessions and the subjects (users) they belong to.
import { etagOf, type Precondition } from "./entities.ts";
import { parseJson, readJson } from "./shared.ts";
import type { CallOptions, Transport, WriteOptions } from "./transport.ts";
import { type WatchOptions, watchPath } from "./watch.ts";
import type { SessionWatchMessage } from "./watch-messages.ts";
import type { ReplyBody, Schemas } from "./wire.ts";

export type Session = Schemas["Session"];
export type CreateSession = Schemas["CreateSession"];
export type SubjectSessions = ReplyBody<"/v1/subjects/{subject}/sessions", "get", 200>;

export interface SessionWriteOptions extends WriteOptions {
  /** Only if the session is at this version (`"3"`, 3, or `*`). */
  ifMatch?: Precondition;
}

const path = (id: string) => `/v1/sessions/${encodeURIComponent(id)}`;

export class Sessions {
  constructor(private readonly t: Transport) {}

  /** Starts a session; retried under one Idempotency-Key, so a lost reply never makes two. */
  async create(session: CreateSession = {}, options: WriteOptions = {}): Promise<Session> {
    const reply = await this.t.call({
      method: "POST",
      path: "/v1/sessions",
      body: session,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<Session>(reply);
  }

  /** The session (and its expiry slides); not-found when unknown, expired or revoked. */
  async get(id: string, options: CallOptions = {}): Promise<Session> {
    return readJson<Session>(this.t, path(id), undefined, options);
  }

  /** Changes the session's data with a merge patch (`null` removes a field). */
  async patch(
    id: string,
    data: Record<string, unknown>,
    options: SessionWriteOptions = {},
  ): Promise<Session> {
    const reply = await this.t.call({
      method: "PATCH",
      path: path(id),
      headers: { "If-Match": options.ifMatch === undefined ? undefined : etagOf(options.ifMatch) },
      body: data,
      contentType: "application/merge-patch+json",
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<Session>(reply);
  }

  /** The session's data as it changes; ends after `revoked` or `expired`. */
  watch(id: string, options: WatchOptions = {}): AsyncGenerator<SessionWatchMessage> {
    return watchPath<SessionWatchMessage>(this.t, `${path(id)}/watch`, options);
  }

  /** Revokes the session: every read of it is refused from this reply on. */
  async revoke(id: string, options: SessionWriteOptions = {}): Promise<void> {
    await this.t.call({
      method: "DELETE",
      path: path(id),
      headers: { "If-Match": options.ifMatch === undefined ? undefined : etagOf(options.ifMatch) },
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
  }
}

export class Subjects {
  constructor(private readonly t: Transport) {}

  /** A subject's live sessions, oldest first. */
  async sessions(subject: string, options: CallOptions = {}): Promise<SubjectSessions> {
    return readJson<SubjectSessions>(
      this.t,
      `/v1/subjects/${encodeURIComponent(subject)}/sessions`,
      undefined,
      options,
    );
  }

  /** Log out everywhere: every live session of the subject is revoked before this returns. */
  async revokeAll(subject: string, options: WriteOptions = {}): Promise<{ revoked: number }> {
    const reply = await this.t.call({
      method: "DELETE",
      path: `/v1/subjects/${encodeURIComponent(subject)}/sessions`,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<{ revoked: number }>(reply);
  }
}
