// A Map iteration's input: the item itself, or what ItemSelector (JSONPath: also the older
// Parameters) makes of it with `$$.Map.Item`. Used by the Map state and by TestState, which reports
// every item's input without running the iterations. Like any state input built by Parameters, it
// is held to the payload limit.

import { withinDataLimit } from "../data-limit.ts";
import { applyTemplate } from "../io.ts";
import type { ContextObject } from "../paths/context.ts";
import { evaluateTemplate } from "../query/evaluate.ts";
import { variablesOf } from "../query/variables.ts";
import type { Runtime } from "../runtime.ts";
import { isJsonata, type Outcome, queryScope } from "../settle.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, MapState } from "../types.ts";

/** One iteration's input: the item, or ItemSelector (JSONPath: the older Parameters too). */
export async function itemInput(
  rt: Runtime,
  frame: Frame,
  state: MapState,
  input: JsonValue,
  context: ContextObject,
  value: JsonValue,
): Promise<Outcome<JsonValue>> {
  const selected = await select(rt, frame, state, input, context, value);
  if (!selected.ok) return selected;
  const index = context.Map?.Item.Index;
  return withinDataLimit(selected.value, `The input of iteration ${index} of state '${context.State.Name}'`);
}

async function select(
  rt: Runtime,
  frame: Frame,
  state: MapState,
  input: JsonValue,
  context: ContextObject,
  value: JsonValue,
): Promise<Outcome<JsonValue>> {
  if (isJsonata(rt, state)) {
    if (state.ItemSelector === undefined) return { ok: true, value };
    return evaluateTemplate(state.ItemSelector, "ItemSelector", queryScope(rt, frame, context, { input }));
  }
  const selector = state.ItemSelector ?? state.Parameters;
  if (selector === undefined) return { ok: true, value };
  return applyTemplate(selector, input, context, rt.env.random, variablesOf(rt, frame));
}
