// Watches as async iterators, over Server-Sent Events read with fetch, so they work wherever the
// client does (Node, browsers, Workers, a service binding) and send the API key as a header.
// A dropped connection, a lost message (4409) or a slow read (4429) resumes from the last
// sequence number seen, so every message arrives once and in order; the watch ends when the
// server says it is over (1000), and fails when its key is revoked (4401).
import { EdgestateError } from "./errors.ts";
import { delayBeforeRetry } from "./retry.ts";
import { sseEvents } from "./sse.ts";
import { sleep, type Transport } from "./transport.ts";

export interface WatchOptions {
  /** Resume after this sequence number (an entity's or session's version, an execution's event id). */
  since?: number;
  /** Ends the watch (the iterator returns). */
  signal?: AbortSignal;
}

/** The server sends `: ping` every 30 s; silence for this long means the connection is gone. */
const SILENCE_MS = 75_000;

/** Close codes after which resuming is pointless or refused. */
const DONE = 1000;
const KEY_REVOKED = 4401;
const UNSUPPORTED = 1003;

interface CloseEvent {
  code: number;
  reason: string;
}

/** Messages from one watch path until the watch is over, the signal fires, or the caller breaks. */
export async function* watchPath<M>(
  t: Transport,
  path: string,
  options: WatchOptions,
  params: Record<string, string> = {},
): AsyncGenerator<M> {
  let since = options.since;
  let failures = 0;
  for (;;) {
    if (options.signal?.aborted) return;
    let reply: Awaited<ReturnType<Transport["call"]>>;
    try {
      reply = await t.call({
        method: "GET",
        path,
        query: { ...params, since },
        headers: { Accept: "text/event-stream" },
        repeat: "safe",
        stream: true,
        accept: [204],
        signal: options.signal,
      });
    } catch (e) {
      if (e instanceof EdgestateError && e.code === "aborted") return;
      throw e;
    }
    // 204: resuming a watch that is over with nothing new.
    if (reply.status === 204 || !reply.body) return;
    const reader = reply.body.getReader();
    let silence: ReturnType<typeof setTimeout> | undefined;
    const stop = () => void reader.cancel().catch(() => {});
    const alive = () => {
      clearTimeout(silence);
      silence = setTimeout(stop, SILENCE_MS);
    };
    options.signal?.addEventListener("abort", stop, { once: true });
    let closed: CloseEvent | null = null;
    try {
      alive();
      for await (const event of sseEvents(reader, alive)) {
        if (event.event === "close") {
          closed = JSON.parse(event.data) as CloseEvent;
          break;
        }
        const message = JSON.parse(event.data) as M;
        if (event.id !== null && /^\d+$/.test(event.id)) since = Number(event.id);
        failures = 0;
        yield message;
      }
    } catch {
      // The connection broke mid-stream: resume below.
    } finally {
      clearTimeout(silence);
      options.signal?.removeEventListener("abort", stop);
      stop();
    }
    if (options.signal?.aborted) return;
    if (closed?.code === DONE) return;
    if (closed?.code === KEY_REVOKED || closed?.code === UNSUPPORTED) {
      throw new EdgestateError({
        code: closed.code === KEY_REVOKED ? "unauthorized" : "bad-request",
        status: 0,
        title: "Watch Closed",
        detail: `${closed.code}: ${closed.reason}`,
      });
    }
    failures++;
    if (failures >= t.policy.maxAttempts) {
      throw new EdgestateError({
        code: "network-error",
        status: 0,
        title: "Watch Lost",
        detail: `the watch broke ${failures} times in a row${closed ? ` (last: ${closed.code} ${closed.reason})` : ""}`,
      });
    }
    try {
      await sleep(delayBeforeRetry(t.policy, failures, null), options.signal);
    } catch {
      return;
    }
  }
}
