// StringMatches: `*` matches any run of characters (including none); `\*` is a literal star and
// `\\` a literal backslash. Nothing else is special, so no regular expression is built (a user's
// pattern can never smuggle in regex syntax).

/** The literal pieces between unescaped stars. */
function splitOnStars(pattern: string): string[] {
  const pieces: string[] = [];
  let literal = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      i++;
      literal += pattern[i];
    } else if (c === "*") {
      pieces.push(literal);
      literal = "";
    } else {
      literal += c;
    }
  }
  pieces.push(literal);
  return pieces;
}

/** Greedy glob match: first piece is a prefix, last a suffix, the middle ones in order. */
export function stringMatches(value: string, pattern: string): boolean {
  const pieces = splitOnStars(pattern);
  const first = pieces[0] ?? "";
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1] ?? "";
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const at = value.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}
