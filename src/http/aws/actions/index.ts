// Every Step Functions action edgestate answers on /aws/states, by its wire name. Anything else is
// UnknownOperationException.
import type { Action } from "../action";
import {
  describeExecutionAction,
  describeStateMachineForExecution,
  listExecutionsAction,
} from "./execution-reads";
import {
  redriveExecutionAction,
  startExecutionAction,
  startSyncExecution,
  stopExecutionAction,
} from "./execution-writes";
import { getExecutionHistory } from "./history";
import { describeStateMachine, listStateMachines, listStateMachineVersions } from "./machine-reads";
import { createStateMachine, deleteStateMachine, updateStateMachine } from "./machine-writes";
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from "./task-callbacks";
import { testStateAction } from "./test-state";
import { validateDefinition } from "./validate";

export const ACTIONS: Readonly<Record<string, Action>> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachine,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  ListStateMachines: listStateMachines,
  ListStateMachineVersions: listStateMachineVersions,
  ValidateStateMachineDefinition: validateDefinition,
  StartExecution: startExecutionAction,
  StartSyncExecution: startSyncExecution,
  DescribeExecution: describeExecutionAction,
  DescribeStateMachineForExecution: describeStateMachineForExecution,
  ListExecutions: listExecutionsAction,
  GetExecutionHistory: getExecutionHistory,
  StopExecution: stopExecutionAction,
  RedriveExecution: redriveExecutionAction,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
  TestState: testStateAction,
};
