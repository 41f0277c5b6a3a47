// The text of a JSON body. JSON between systems is UTF-8 (RFC 8259 §8.1), so that is the only
// charset taken: any other is refused with a 415 rather than guessed at, and bytes that are not
// UTF-8 are a 400 rather than U+FFFD replacement characters stored in the client's data.
import { problem } from "../problem";
import type { MediaType } from "./media-type";

const UTF8_LABELS = new Set(["utf-8", "utf8"]);
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function jsonText(bytes: Uint8Array, type: MediaType): string {
  const charset = type.params.get("charset");
  if (charset !== undefined && !UTF8_LABELS.has(charset.toLowerCase())) {
    throw problem(
      "unsupported_media_type",
      `JSON bodies are UTF-8 (RFC 8259): charset=${charset} is not accepted; send the body as UTF-8`,
    );
  }
  try {
    // A leading byte order mark is dropped, as RFC 8259 allows.
    return decoder.decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    throw problem(
      "invalid",
      `the request body is not valid UTF-8 (the first ill-formed sequence starts at byte ${at})`,
    );
  }
}

/** Where the first ill-formed UTF-8 sequence starts (the body's length when there is none). */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const [length, low, high] = sequenceOf(lead);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k];
      // The second byte's range is narrower for some leads (no overlongs, no surrogates, ≤ U+10FFFF).
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (b === undefined || b < min || b > max) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** [sequence length, allowed range of the second byte]; length 0 for a byte that cannot lead. */
function sequenceOf(lead: number): [number, number, number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}
