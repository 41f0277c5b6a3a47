// A character cursor shared by the path and filter parsers. Syntax errors are thrown inside the
// recursive descent (it keeps each rule short) and turned into a ParseResult at the entry point,
// so no exception ever leaves the parser.

export class PathSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export class Cursor {
  pos = 0;

  constructor(readonly src: string) {}

  get done(): boolean {
    return this.pos >= this.src.length;
  }

  peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  startsWith(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  skipSpaces(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  expect(text: string): void {
    if (!this.startsWith(text)) this.fail(`expected '${text}'`);
    this.pos += text.length;
  }

  fail(message: string): never {
    const near = this.done ? "end of path" : `'${this.peek()}' at ${this.pos}`;
    throw new PathSyntaxError(`${message} (near ${near})`, this.pos);
  }

  /** A quoted string in either quote style, with backslash escapes for the quote and backslash. */
  readQuoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail("expected a quoted string");
    this.pos++;
    let out = "";
    while (!this.done && this.peek() !== quote) {
      if (this.peek() === "\\") {
        this.pos++;
        if (this.done) break;
        out += this.readEscape();
        continue;
      }
      out += this.peek();
      this.pos++;
    }
    this.expect(quote);
    return out;
  }

  /**
   * After a backslash inside quotes: Jayway (and so Step Functions) unescapes `\n`, `\t`, `\r`,
   * `\b`, `\f` and `\uXXXX`; any other escaped character stands for itself (`\'`, `\"`, `\\`).
   */
  private readEscape(): string {
    const c = this.peek();
    this.pos++;
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };
    if (c in simple) return simple[c] ?? c;
    if (c === "u" && /^[0-9a-fA-F]{4}/.test(this.src.slice(this.pos, this.pos + 4))) {
      const code = Number.parseInt(this.src.slice(this.pos, this.pos + 4), 16);
      this.pos += 4;
      return String.fromCharCode(code);
    }
    return c;
  }

  /** An optionally signed integer, or null when none is here. */
  readInteger(): number | null {
    const match = /^-?\d+/.exec(this.src.slice(this.pos));
    if (!match) return null;
    this.pos += match[0].length;
    const value = Number(match[0]);
    if (!Number.isSafeInteger(value)) this.fail("integer out of range");
    return value;
  }

  readNumber(): number | null {
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
    if (!match) return null;
    this.pos += match[0].length;
    return Number(match[0]);
  }
}
