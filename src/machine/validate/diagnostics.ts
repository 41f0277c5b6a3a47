import type { DiagnosticCode } from "./codes.ts";

export type Severity = "ERROR" | "WARNING";

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** RFC 6901 JSON Pointer into the definition ("" is the whole document). */
  pointer: string;
}

/** Appends diagnostics in the order rules find them; validation never throws on bad input. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  error(code: DiagnosticCode, pointer: string, message: string): void {
    this.list.push({ severity: "ERROR", code, message, pointer });
  }

  warning(code: DiagnosticCode, pointer: string, message: string): void {
    this.list.push({ severity: "WARNING", code, message, pointer });
  }

  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === "ERROR");
  }
}

/** Appends one reference token to a JSON Pointer, escaping `~` and `/` as RFC 6901 requires. */
export function at(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
