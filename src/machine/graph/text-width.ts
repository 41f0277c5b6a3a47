// There is no font engine in a Worker, so boxes are sized from an estimate of the text's width.
// The estimate errs wide (per-character classes of a typical sans-serif) so text never spills out
// of its box; a box a little too wide costs nothing.

const NARROW = new Set("iljtfrI!|.,:;'`() []{}");
const WIDE = new Set("mwMW@%");

export function textWidth(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x2e80)
      ems += 1.0; // CJK, emoji: full width
    else if (NARROW.has(ch)) ems += 0.34;
    else if (WIDE.has(ch)) ems += 0.9;
    else if (ch >= "A" && ch <= "Z") ems += 0.7;
    else ems += 0.58;
  }
  return Math.ceil(ems * fontSize * (bold ? 1.08 : 1));
}
