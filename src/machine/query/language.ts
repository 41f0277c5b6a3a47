import type { StateMachineDefinition } from "../types.ts";

export type QueryLanguage = "JSONPath" | "JSONata";

/** A state's own QueryLanguage, else the machine's, else JSONPath (states-language.net). */
export const queryLanguageOf = (
  definition: Pick<StateMachineDefinition, "QueryLanguage">,
  state: { QueryLanguage?: QueryLanguage },
): QueryLanguage => state.QueryLanguage ?? definition.QueryLanguage ?? "JSONPath";
