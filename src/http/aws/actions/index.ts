// Every Step Functions action edgestate answers on /aws/states, by its wire name. Anything else is
// UnknownOperationException.
import type { Action } from "../action";
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from "./task-callbacks";
import { testStateAction } from "./test-state";
import { validateDefinition } from "./validate";

export const ACTIONS: Readonly<Record<string, Action>> = {
  ValidateStateMachineDefinition: validateDefinition,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
  TestState: testStateAction,
};
