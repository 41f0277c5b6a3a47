// How a state is named in `renderDiagram`'s `status` map, shared with the execution side so both
// produce the same keys.
//
// The rule: a top-level state's key is its plain name. A state inside a Parallel branch or a Map
// item processor has a path key: each enclosing state's name and branch index, then the state's
// name, joined by "/" (`Parallel1/0/StateA`, `MapItems/0/Process`; a Map's processor is branch 0).
// Segments are escaped like JSON Pointer (`~` → `~0`, `/` → `~1`) so names containing "/" stay
// unambiguous. State names are only unique per scope, so the path key is the precise one; when
// rendering, a nested state's path key wins, and its plain name is the fallback, which is enough
// (and what a simple execution history gives) whenever the name is unique in the definition.

/** One level of nesting: the Parallel or Map state, and which branch (0 for a Map's processor). */
export interface StateScope {
  state: string;
  branch: number;
}

function escapeSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

export function stateKey(scope: readonly StateScope[], name: string): string {
  if (scope.length === 0) return name;
  const parts = scope.flatMap((s) => [escapeSegment(s.state), String(s.branch)]);
  return [...parts, escapeSegment(name)].join("/");
}
