// JSON.parse keeps the last of two equal keys without a word, but Step Functions refuses such a
// definition, and a silently dropped "Next" would change the machine. So the raw text is
// scanned once more, after JSON.parse has proved it well-formed, to find keys repeated in one
// object. The scanner can therefore assume valid JSON.

import { at, type Diagnostic, Diagnostics } from "./diagnostics.ts";

export interface ParsedDefinition {
  /** The parsed value, or undefined when the text is not JSON. */
  definition: unknown;
  diagnostics: Diagnostic[];
}

export function parseDefinitionText(text: string): ParsedDefinition {
  const diags = new Diagnostics();
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : "unparseable";
    diags.error("INVALID_JSON_DESCRIPTION", "", `the definition is not valid JSON: ${detail}`);
    return { definition: undefined, diagnostics: diags.list };
  }
  new DuplicateKeyScanner(text, diags).value("");
  return { definition, diagnostics: diags.list };
}

class DuplicateKeyScanner {
  private i = 0;
  private readonly text: string;
  private readonly diags: Diagnostics;

  constructor(text: string, diags: Diagnostics) {
    this.text = text;
    this.diags = diags;
  }

  value(pointer: string): void {
    this.space();
    const c = this.text[this.i];
    if (c === "{") this.object(pointer);
    else if (c === "[") this.array(pointer);
    else if (c === '"') this.string();
    else while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i] ?? "")) this.i++;
  }

  private object(pointer: string): void {
    const keys = new Set<string>();
    this.i++;
    for (;;) {
      this.space();
      if (this.text[this.i] === "}") break;
      const key = this.string();
      const keyPointer = at(pointer, key);
      if (keys.has(key))
        this.diags.error(
          "DUPLICATE_KEY",
          keyPointer,
          `the key ${JSON.stringify(key)} appears more than once in this object`,
        );
      keys.add(key);
      this.space();
      this.i++; // ':'
      this.value(keyPointer);
      this.space();
      if (this.text[this.i] === ",") this.i++;
    }
    this.i++;
  }

  private array(pointer: string): void {
    this.i++;
    for (let index = 0; ; index++) {
      this.space();
      if (this.text[this.i] === "]") break;
      this.value(at(pointer, index));
      this.space();
      if (this.text[this.i] === ",") this.i++;
    }
    this.i++;
  }

  /** Reads a string token and decodes its escapes, so "a" and "\u0061" count as the same key. */
  private string(): string {
    const start = this.i;
    this.i++;
    while (this.text[this.i] !== '"') this.i += this.text[this.i] === "\\" ? 2 : 1;
    this.i++;
    const decoded: unknown = JSON.parse(this.text.slice(start, this.i));
    return typeof decoded === "string" ? decoded : "";
  }

  private space(): void {
    while (/\s/.test(this.text[this.i] ?? "")) this.i++;
  }
}
