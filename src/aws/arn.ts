// Step Functions ARNs as edgestate hands them out and takes them back. The account is the tenant,
// the region is the one the client signs for, and a client sends back exactly the text it got:
//   arn:aws:states:<region>:<tenant>:stateMachine:<machine>
//   arn:aws:states:<region>:<tenant>:stateMachine:<machine>:<version>
//   arn:aws:states:<region>:<tenant>:execution:<machine>:<execution>
// The ids an execution sees in its context object (`$$.Execution.Id`, `arn:edgestate:states:::…`)
// are taken too, as naming the caller's own tenant, so a definition can pass them to the API.
import { EXECUTION_NAME, MACHINE_NAME } from "../core/names";

export interface ArnScope {
  region: string;
  account: string;
}

export type ParsedArn =
  | { kind: "stateMachine"; scope: ArnScope | null; machine: string; qualifier?: string }
  | { kind: "execution"; scope: ArnScope | null; machine: string; execution: string };

export const stateMachineArn = (scope: ArnScope, machine: string, version?: number): string =>
  `arn:aws:states:${scope.region}:${scope.account}:stateMachine:${machine}${version === undefined ? "" : `:${version}`}`;

export const executionArn = (scope: ArnScope, machine: string, execution: string): string =>
  `arn:aws:states:${scope.region}:${scope.account}:execution:${machine}:${execution}`;

/** A version qualifier: a positive integer without leading zeros (anything else is an alias). */
export const versionOf = (qualifier: string | undefined): number | undefined =>
  qualifier !== undefined && /^[1-9][0-9]{0,15}$/.test(qualifier) ? Number(qualifier) : undefined;

const ARN = /^arn:(aws|edgestate):states:([a-z0-9-]*):([^:]*):(stateMachine|execution|express):(.*)$/;

/** The ARN's parts, or a sentence saying why it is not a Step Functions ARN (→ InvalidArn). */
export function parseArn(text: string): ParsedArn | { invalid: string } {
  const m = ARN.exec(text);
  if (!m) return { invalid: `Invalid ARN prefix: ${text.slice(0, 64)}` };
  const [, partition, region, account, type, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  let scope: ArnScope | null;
  if (partition === "edgestate") {
    if (region !== "" || account !== "") return { invalid: `Invalid ARN: ${text.slice(0, 64)}` };
    scope = null;
  } else {
    if (region === "" || account === "") return { invalid: `Invalid ARN: region and account are required` };
    scope = { region, account };
  }
  const parts = rest.split(":");
  if (type === "stateMachine") {
    const [machine, qualifier, ...extra] = parts as [string, string | undefined, ...string[]];
    if (extra.length > 0 || !MACHINE_NAME.test(machine) || qualifier === "") {
      return { invalid: `Invalid Arn: 'Resource name not valid in this context: ${rest.slice(0, 100)}'` };
    }
    return qualifier === undefined
      ? { kind: "stateMachine", scope, machine }
      : { kind: "stateMachine", scope, machine, qualifier };
  }
  if (type === "express")
    return { invalid: "Invalid Arn: 'Resource type not valid in this context: express'" };
  const [machine, execution, ...extra] = parts as [string, string | undefined, ...string[]];
  if (
    extra.length > 0 ||
    !MACHINE_NAME.test(machine) ||
    execution === undefined ||
    !EXECUTION_NAME.test(execution)
  ) {
    return { invalid: `Invalid Arn: 'Resource name not valid in this context: ${rest.slice(0, 100)}'` };
  }
  return { kind: "execution", scope, machine, execution };
}
