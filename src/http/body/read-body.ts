// Reading a request body into bytes, bounded, whatever the client claims. The limit counts the
// bytes as they arrive and again after decoding a Content-Encoding, so neither a missing or false
// Content-Length nor a small gzip body that inflates a thousandfold gets past it.
import { problem } from "../problem";

type Format = ConstructorParameters<typeof DecompressionStream>[0];

/** The codings DecompressionStream decodes; identity means none. */
const CODINGS = new Map<string, Format | null>([
  ["identity", null],
  ["gzip", "gzip"],
  ["x-gzip", "gzip"],
  ["deflate", "deflate"],
]);
const ACCEPTED_CODINGS = "gzip, deflate, identity";

const tooLarge = (limit: number) => problem("payload_too_large", `the request body exceeds ${limit} bytes`);

/** The body's bytes after its Content-Encoding is undone; a problem for anything else. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  // The common case, read by the runtime in one go: no coding to undo, and a length the HTTP
  // framing holds the body to (checked above against the limit, and again below).
  if (declared !== null && request.headers.get("Content-Encoding") === null) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await request.arrayBuffer());
    } catch {
      throw problem("invalid", "the request body could not be read to its end");
    }
    if (bytes.byteLength > limit) throw tooLarge(limit);
    return bytes;
  }
  let stream: ReadableStream<Uint8Array> = request.body;
  for (const coding of codingsToUndo(request.headers.get("Content-Encoding"))) {
    // Counted before decoding too: a decoder must never be fed more than the limit.
    stream = bounded(stream, limit).pipeThrough(new DecompressionStream(coding));
  }
  try {
    return await collect(bounded(stream, limit));
  } catch (e) {
    if (e instanceof BodyTooLarge) throw tooLarge(limit);
    // A decoder's error, or the client's stream breaking off before its Content-Length.
    const detail = request.headers.has("Content-Encoding")
      ? "the request body is not valid for its Content-Encoding"
      : "the request body could not be read to its end";
    throw problem("invalid", detail);
  }
}

/** Content-Encoding lists codings in the order applied; they are undone last first. */
function codingsToUndo(header: string | null): Format[] {
  if (header === null) return [];
  const formats: Format[] = [];
  for (const name of header.split(",").map((c) => c.trim().toLowerCase())) {
    const format = CODINGS.get(name);
    if (format === undefined) {
      // RFC 7694 §3: a 415 for an unsupported coding says which codings would be accepted.
      throw problem("unsupported_media_type", `Content-Encoding ${JSON.stringify(name)} is not supported`, {
        headers: { "Accept-Encoding": ACCEPTED_CODINGS },
      });
    }
    if (format) formats.unshift(format);
  }
  return formats;
}

class BodyTooLarge extends Error {
  override name = "BodyTooLarge";
}

function bounded(stream: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
