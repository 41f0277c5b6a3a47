// Server-Sent Events read from a fetch body (not EventSource: it cannot send Authorization, and
// a service binding has no URL to open). Each event: its name, its data lines joined, its id.

export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/** The events of a stream, as they arrive; comments (`: ping`) only prove the stream alive. */
export async function* sseEvents(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onActivity: () => void,
): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    onActivity();
    buffer += decoder.decode(value, { stream: true });
    let end = blockEnd(buffer);
    while (end) {
      const block = buffer.slice(0, end.at);
      buffer = buffer.slice(end.at + end.length);
      const event = parseBlock(block);
      if (event) yield event;
      end = blockEnd(buffer);
    }
  }
}

/** Where the first event ends: a blank line, in any of SSE's three line endings. */
function blockEnd(buffer: string): { at: number; length: number } | null {
  const match = /\r\n\r\n|\n\n|\r\r/.exec(buffer);
  return match ? { at: match.index, length: match[0].length } : null;
}

function parseBlock(block: string): SseEvent | null {
  let event = "message";
  const data: string[] = [];
  let id: string | null = null;
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  }
  return data.length === 0 ? null : { event, data: data.join("\n"), id };
}
