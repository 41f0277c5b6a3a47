// A Map's items and limits, read when the state starts (and again on each retry): JSONPath reads
// ItemsPath and the *Path limits from the effective input (after InputPath); JSONata evaluates
// Items and the limits, which may be expressions. A bad value fails the state.

import { withinDataLimit } from "../data-limit.ts";
import { StatesError } from "../errors.ts";
import { applyInputPath, readPath } from "../io.ts";
import type { ContextObject } from "../paths/context.ts";
import { evaluateTemplate, QUERY_EVALUATION_ERROR } from "../query/evaluate.ts";
import { variablesOf } from "../query/variables.ts";
import { inspect, type Runtime } from "../runtime.ts";
import { type Outcome, queryScope } from "../settle.ts";
import type { Frame, MapProgress } from "../snapshot.ts";
import type { JsonValue, MapState } from "../types.ts";
import { jsonataNumber } from "./common.ts";

export type Limits = Pick<
  MapProgress,
  "effectiveInput" | "items" | "maxConcurrency" | "toleratedCount" | "toleratedPercentage"
>;

export function jsonPathLimits(
  rt: Runtime,
  frame: Frame,
  state: MapState,
  input: JsonValue,
  context: ContextObject,
): Outcome<Limits> {
  const effective = applyInputPath(input, state.InputPath, context);
  if (!effective.ok) return effective;
  inspect(rt, "afterInputPath", effective.value);
  const variables = variablesOf(rt, frame);
  const read = (path: string) => readPath(effective.value, path, context, variables);
  const items = read(state.ItemsPath ?? "$");
  if (!items.found || !Array.isArray(items.value)) {
    return {
      ok: false,
      error: StatesError.Runtime,
      cause: `The ItemsPath '${state.ItemsPath ?? "$"}' did not select an array.`,
    };
  }
  inspect(rt, "afterItemsPath", items.value);
  const number = (
    literal: number | string | undefined,
    path: string | undefined,
  ): number | null | { bad: string } => {
    if (path === undefined) return typeof literal === "number" ? literal : null;
    const r = read(path);
    return r.found && typeof r.value === "number" && r.value >= 0 ? r.value : { bad: path };
  };
  const maxConcurrency = number(state.MaxConcurrency, state.MaxConcurrencyPath);
  const toleratedCount = number(state.ToleratedFailureCount, state.ToleratedFailureCountPath);
  const toleratedPercentage = number(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath);
  for (const value of [maxConcurrency, toleratedCount, toleratedPercentage]) {
    if (value !== null && typeof value === "object") {
      return {
        ok: false,
        error: StatesError.Runtime,
        cause: `The path '${value.bad}' did not select a non-negative number.`,
      };
    }
  }
  return {
    ok: true,
    value: {
      effectiveInput: effective.value,
      items: items.value,
      maxConcurrency: typeof maxConcurrency === "number" ? maxConcurrency : 0,
      toleratedCount: typeof toleratedCount === "number" ? toleratedCount : null,
      toleratedPercentage: typeof toleratedPercentage === "number" ? toleratedPercentage : null,
    },
  };
}

export async function jsonataLimits(
  rt: Runtime,
  frame: Frame,
  state: MapState,
  input: JsonValue,
  context: ContextObject,
): Promise<Outcome<Limits>> {
  const states = { input };
  const items =
    state.Items === undefined
      ? { ok: true as const, value: input }
      : await evaluateTemplate(state.Items, "Items", queryScope(rt, frame, context, states));
  if (!items.ok) return items;
  if (!Array.isArray(items.value)) {
    return {
      ok: false,
      error: QUERY_EVALUATION_ERROR,
      cause: `The field 'Items' must be an array, but it evaluated to ${JSON.stringify(items.value).slice(0, 256)}.`,
      location: "Items",
    };
  }
  // An expression can build items bigger or deeper than any state data may be; they go into the
  // snapshot as they are, and 40,000 levels of nesting overflowed the shell's stack there (the
  // request or alarm failed, not the state). ItemsPath needs no check: it reads checked input.
  const fits = withinDataLimit(items.value, `The state '${context.State.Name}' Items`);
  if (!fits.ok) return fits;
  const count = (n: number) => Number.isInteger(n) && n >= 0;
  const limit = (
    value: number | string | undefined,
    field: string,
    accept: (n: number) => boolean,
    what: string,
  ) => jsonataNumber(rt, frame, value, field, states, context, accept, what);
  const maxConcurrency = await limit(state.MaxConcurrency, "MaxConcurrency", count, "a non-negative integer");
  if (!maxConcurrency.ok) return maxConcurrency;
  const toleratedCount = await limit(
    state.ToleratedFailureCount,
    "ToleratedFailureCount",
    count,
    "a non-negative integer",
  );
  if (!toleratedCount.ok) return toleratedCount;
  const toleratedPercentage = await limit(
    state.ToleratedFailurePercentage,
    "ToleratedFailurePercentage",
    (n) => n >= 0 && n <= 100,
    "a number from 0 to 100",
  );
  if (!toleratedPercentage.ok) return toleratedPercentage;
  return {
    ok: true,
    value: {
      effectiveInput: input,
      items: items.value,
      maxConcurrency: maxConcurrency.value ?? 0,
      toleratedCount: toleratedCount.value ?? null,
      toleratedPercentage: toleratedPercentage.value ?? null,
    },
  };
}
