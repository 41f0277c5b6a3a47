// A diagram's title is a machine name, a version and an execution name: up to about 170
// characters, most of them without spaces. Cutting it off loses the part that tells executions
// apart, and one long line makes the whole image too wide to read on a phone, so it wraps.
import { textWidth } from "./text-width.ts";

/** Breaks after spaces and after the separators names use (`-`, `_`, `.`), keeping them on the line. */
const PIECES = /[^\s\-_.]*(?:[\s\-_.]+|$)/g;

/**
 * The title in lines no wider than `maxWidth` at `fontSize` (bold): greedy over natural breaks, and
 * a piece wider than a line on its own is split between characters (never inside a surrogate pair).
 */
export function titleLines(title: string, maxWidth: number, fontSize: number): string[] {
  const fits = (text: string) => textWidth(text.trimEnd(), fontSize, true) <= maxWidth;
  const lines: string[] = [];
  let line = "";
  for (const piece of title.match(PIECES) ?? []) {
    if (piece === "") continue;
    if (fits(line + piece)) {
      line += piece;
      continue;
    }
    if (line !== "") lines.push(line.trimEnd());
    line = "";
    for (const ch of Array.from(piece)) {
      if (line !== "" && !fits(line + ch)) {
        lines.push(line);
        line = "";
      }
      line += ch;
    }
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  return lines;
}
