// Variables must be assigned somewhere before anything can read them: a reference to a name that
// no Assign in the machine sets is reported with a WARNING (at run time it reads nothing and the
// state fails). Not an ERROR: the shared conformance suite holds definitions that read a variable
// no state assigns and are valid. The check is by name over the whole machine (order and scope are
// run-time matters).

import { at, type Diagnostics } from "./diagnostics.ts";
import { isObject } from "./json.ts";

export interface VariableUse {
  name: string;
  pointer: string;
}

export class VariableRegistry {
  readonly assigned = new Set<string>();
  readonly uses: VariableUse[] = [];

  /**
   * Records the names an `Assign` object sets. A JSONPath key ending in `.$` sets the name
   * without it (`"v.$": "$.a"` assigns `v`). `states` is refused: Step Functions reserves
   * `$states` (workflow-variables.html, "Reserved variable"), and an Assign of it was stored,
   * ignored by every JSONata expression (where `$states` is the reserved binding) yet read by
   * JSONPath paths as `$states`: one name, two values.
   */
  assign(value: unknown, pointer: string, diags: Diagnostics): void {
    if (!isObject(value)) return;
    for (const key of Object.keys(value)) {
      const name = key.endsWith(".$") ? key.slice(0, -2) : key;
      this.assigned.add(name);
      if (name === "states") {
        diags.error(
          "INVALID_VALUE",
          at(pointer, key),
          "states is a reserved variable name in Step Functions ($states); assign another name",
        );
      }
    }
  }

  /** `$name` references inside a JSONPath path or intrinsic call (quoted literals skipped). */
  readPathReferences(text: string, pointer: string): void {
    const unquoted = text.replace(/'(?:[^'\\]|\\.)*'/g, "''");
    for (const match of unquoted.matchAll(/(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (match[1]) this.uses.push({ name: match[1], pointer });
    }
  }

  report(diags: Diagnostics): void {
    for (const use of this.uses) {
      if (this.assigned.has(use.name)) continue;
      diags.warning(
        "UNASSIGNED_VARIABLE",
        use.pointer,
        `the variable $${use.name} is read here but no Assign in this state machine sets it`,
      );
    }
  }
}
