// Choice. JSONPath: InputPath, then the first rule that matches picks Next (else Default, else
// States.NoChoiceMatched); the output is the effective input through OutputPath. JSONata: each
// rule's Condition is an expression over `$states.input`, and the output is Output (default: the
// input). The matched rule's Assign/Output apply; with Default, the state's own.

import { evaluateRule } from "../choice/evaluate.ts";
import { StatesError, succeed } from "../errors.ts";
import { NOT_TRUNCATED } from "../events.ts";
import { applyInputPath, applyOutputPath, readPath } from "../io.ts";
import { evaluateTemplate, QUERY_EVALUATION_ERROR } from "../query/evaluate.ts";
import { assignedVariablesDetails, assignVariables, variablesOf } from "../query/variables.ts";
import { emit, inspect, type Runtime } from "../runtime.ts";
import {
  assignJsonPath,
  isJsonata,
  type Outcome,
  queryScope,
  type Settled,
  settledOf,
  settleJsonata,
} from "../settle.ts";
import type { Frame } from "../snapshot.ts";
import type { ChoiceRule, ChoiceState, JsonValue } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";
import { fail } from "./pass.ts";

type Picked = { next: string; outcome: Pick<ChoiceRule, "Assign" | "Output"> };

export async function enterChoice(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ChoiceState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  const jsonata = isJsonata(rt, state);
  let data = input;
  if (!jsonata) {
    const effective = applyInputPath(input, state.InputPath, context);
    if (!effective.ok) return fail(rt, frame, name, effective);
    data = effective.value;
    inspect(rt, "afterInputPath", data);
  }
  const picked = jsonata
    ? await pickJsonata(rt, frame, state, input, context)
    : pickJsonPath(rt, frame, state, data, context);
  if (!picked.ok) return fail(rt, frame, name, picked);
  if (picked.value === undefined) {
    return fail(rt, frame, name, {
      ok: false,
      error: StatesError.NoChoiceMatched,
      cause: `No Choice rule matched in state '${name}' and it has no Default.`,
    });
  }
  const { next, outcome } = picked.value;
  let settled: Outcome<Settled>;
  if (jsonata) {
    settled = await settleJsonata(rt, frame, outcome, input, { input }, context);
  } else {
    const assigned = assignJsonPath(rt, frame, outcome.Assign, data, context);
    settled = settledOf(assigned, applyOutputPath(data, state.OutputPath, context));
  }
  if (!settled.ok) return fail(rt, frame, name, settled);
  const { output, assigned } = settled.value;
  emit(rt, frame, "ChoiceStateExited", {
    stateExitedEventDetails: {
      name,
      output: JSON.stringify(output),
      outputDetails: NOT_TRUNCATED,
      ...assignedVariablesDetails(assigned),
    },
  });
  assignVariables(frame, assigned);
  rt.snap.outcomes[name] = "succeeded";
  frame.position = { kind: "ready", state: next, input: output };
}

const byDefault = (state: ChoiceState): Picked | undefined =>
  state.Default === undefined ? undefined : { next: state.Default, outcome: state };

function pickJsonPath(
  rt: Runtime,
  frame: Frame,
  state: ChoiceState,
  data: JsonValue,
  context: ReturnType<typeof freshContext>,
): Outcome<Picked | undefined> {
  const variables = variablesOf(rt, frame);
  const read = (path: string) => succeed(readPath(data, path, context, variables));
  for (const rule of state.Choices) {
    const matched = evaluateRule(rule, read);
    if (!matched.ok) return matched;
    if (matched.value && rule.Next !== undefined) return succeed({ next: rule.Next, outcome: rule });
  }
  return succeed(byDefault(state));
}

async function pickJsonata(
  rt: Runtime,
  frame: Frame,
  state: ChoiceState,
  input: JsonValue,
  context: ReturnType<typeof freshContext>,
): Promise<Outcome<Picked | undefined>> {
  const scope = queryScope(rt, frame, context, { input });
  for (const rule of state.Choices) {
    if (!("Condition" in rule)) continue;
    const condition =
      typeof rule.Condition === "boolean"
        ? { ok: true as const, value: rule.Condition }
        : await evaluateTemplate(rule.Condition, "Condition", scope);
    if (!condition.ok) return condition;
    if (typeof condition.value !== "boolean") {
      return {
        ok: false,
        error: QUERY_EVALUATION_ERROR,
        cause: `The Condition '${String(rule.Condition)}' must evaluate to a boolean, but it gave ${JSON.stringify(condition.value)}.`,
        location: "Condition",
      };
    }
    if (condition.value && rule.Next !== undefined) return succeed({ next: rule.Next, outcome: rule });
  }
  return succeed(byDefault(state));
}
