// A Server-Sent Events reader for tests: parses `id:`, `event:` and `data:` fields of a response
// stream as the EventSource algorithm does (comment lines kept apart, for heartbeats).
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseReader {
  events: SseEvent[];
  comments: string[];
  /** Resolves once `n` events have arrived in all (comments are not counted). */
  count(n: number): Promise<SseEvent[]>;
  /** Resolves when the stream ends. */
  ended: Promise<void>;
  cancel(): Promise<void>;
}

export function readSse(body: ReadableStream<Uint8Array>): SseReader {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiting: { n: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let done = false;
  const settle = () => {
    for (const w of [...waiting]) {
      if (events.length >= w.n) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      } else if (done) {
        waiting.splice(waiting.indexOf(w), 1);
        w.reject(new Error(`the stream ended after ${events.length} events, waiting for ${w.n}`));
      }
    }
  };
  const parse = (block: string) => {
    const event: SseEvent = { event: "message", data: "" };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) comments.push(line.slice(1).trim());
      else if (line.startsWith("id: ")) event.id = line.slice(4);
      else if (line.startsWith("event: ")) event.event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length) events.push({ ...event, data: data.join("\n") });
  };
  let cancelled = false;
  const ended = (async () => {
    for (;;) {
      const { done: finished, value } = await reader.read().catch((e: unknown) => {
        if (cancelled) return { done: true as const, value: undefined };
        throw e;
      });
      if (finished) break;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        parse(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf("\n\n");
      }
      settle();
    }
    done = true;
    settle();
  })();
  return {
    events,
    comments,
    ended,
    count: (n) =>
      new Promise<SseEvent[]>((resolve, reject) => {
        waiting.push({ n, resolve: () => resolve(events.slice(0, n)), reject });
        settle();
      }),
    cancel: () => {
      cancelled = true;
      return reader.cancel();
    },
  };
}

export const dataOf = (events: SseEvent[]) =>
  events.map((e) => JSON.parse(e.data) as Record<string, unknown>);
