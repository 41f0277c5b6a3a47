// Catch (states-language.net "Fallback states"): the first catcher whose ErrorEquals matches
// wins. Its ResultPath (default `$`) places the error output `{Error, Cause}` into the state's
// raw input, and the execution continues at its Next.

import { errorMatches } from "./error-match.ts";
import type { Catcher, JsonObject } from "./types.ts";

export const DEFAULT_CATCH_RESULT_PATH = "$";

export function findCatcher(catchers: readonly Catcher[] | undefined, error: string): Catcher | undefined {
  return catchers?.find((catcher) => errorMatches(catcher.ErrorEquals, error));
}

/** The error output a catcher hands on, as Step Functions shapes it. */
export const errorOutput = (error: string, cause: string): JsonObject => ({ Error: error, Cause: cause });
