// State names, error names and Choice values are user input, and the SVG is served as a standalone
// document (and may be inlined into console pages), so every piece of text goes through here.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

// XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF even as character references; one of them in a
// state name would make the whole document unparseable, so they become U+FFFD instead.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

// Lone surrogates cannot be encoded as UTF-8 either; replace them before they reach an encoder.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, "\uFFFD")
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Shortens text to `max` code points, ending with an ellipsis, without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}
