// Turning the interpreter's snapshot and events into the API's shapes.
import type { HistoryEvent } from "../machine/events.ts";
import { redrivability } from "../machine/redrive.ts";
import { currentStates, type ExecutionSnapshot, pendingTasks, stateOutcomes } from "../machine/snapshot.ts";
import type { JsonValue } from "../machine/types.ts";
import type { ApiHistoryEvent, DiagramData, ExecutionDescription, WaitingTask } from "./contract";

const iso = (ms: number) => new Date(ms).toISOString();

/** The execution as the API shows it; `now` (the execution's clock) decides whether it is redrivable. */
export function describeExecution(snapshot: ExecutionSnapshot, now: number): ExecutionDescription {
  const { execution } = snapshot;
  const verdict = redrivability(snapshot, now);
  const lastRedrive = snapshot.redrives?.at(-1);
  return {
    name: execution.name,
    machine: execution.machineName,
    machineVersion: execution.machineVersion,
    status: snapshot.status,
    input: execution.input,
    output: snapshot.output ?? null,
    error: snapshot.error ?? null,
    cause: snapshot.cause ?? null,
    startedAt: iso(execution.startedAt),
    stoppedAt: snapshot.stoppedAt === undefined ? null : iso(snapshot.stoppedAt),
    currentStates: currentStates(snapshot),
    redriveCount: execution.redriveCount ?? 0,
    redrivenAt: lastRedrive === undefined ? null : iso(lastRedrive),
    redriveStatus: verdict.redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE",
    redriveStatusReason: verdict.redrivable ? null : verdict.reason,
  };
}

/** Step Functions puts each event's details under a type-specific member; the API names it `details`. */
export function toApiEvent(event: HistoryEvent): ApiHistoryEvent {
  const { id, previousEventId, timestamp, type, ...rest } = event;
  const details = (Object.values(rest)[0] ?? {}) as Record<string, JsonValue>;
  return { id, previousEventId, timestamp, type, details };
}

export function waitingTasksOf(snapshot: ExecutionSnapshot): WaitingTask[] {
  return pendingTasks(snapshot).map((task) => ({
    taskId: task.taskId,
    state: task.stateName,
    resource: task.resource,
    taskToken: task.taskToken ?? null,
    timeoutAt: iso(task.timeoutAt),
    heartbeatAt: task.heartbeatAt === undefined ? null : iso(task.heartbeatAt),
  }));
}

/** What the diagram route draws: the execution's own definition copy, coloured by its outcomes. */
export function diagramOf(definitionText: string, snapshot: ExecutionSnapshot): DiagramData {
  const { machineVersion } = snapshot.execution;
  return { definition: definitionText, machineVersion, outcomes: stateOutcomes(snapshot) };
}
