// A deleted state machine starts nothing, through its version ARNs too: a version number names one
// definition of one incarnation of the machine, and each isolate's definition cache must not
// outlive the delete (src/http/routes/machines/definition-cache.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unique } from "../support/api";
import { type AwsKey, aws, awsKey } from "./support";

const ROLE = "arn:aws:iam::123456789012:role/sfn";
const passing = (result: string) =>
  JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Result: result, End: true } } });

async function published(key: AwsKey, name: string, definition: string) {
  const created = await aws(key, "CreateStateMachine", { name, definition, roleArn: ROLE, publish: true });
  expect(created.status).toBe(200);
  return {
    machineArn: created.body.stateMachineArn as string,
    versionArn: created.body.stateMachineVersionArn as string,
  };
}

describe("StartExecution on a version ARN of a deleted machine", () => {
  it("after DeleteStateMachine → StateMachineDoesNotExist", async () => {
    const key = await awsKey(unique("acct"));
    const { machineArn, versionArn } = await published(key, "gone", passing("old"));
    expect(versionArn).toMatch(/:gone:1$/);
    expect((await aws(key, "StartExecution", { stateMachineArn: versionArn })).status).toBe(200);
    expect((await aws(key, "DeleteStateMachine", { stateMachineArn: machineArn })).status).toBe(200);
    const started = await aws(key, "StartExecution", { stateMachineArn: versionArn, name: "after-delete" });
    expect(started.status).toBe(400);
    expect(started.body).toMatchObject({ __type: "StateMachineDoesNotExist" });
  });

  it("after the machine is created again → StateMachineDoesNotExist, never the deleted definition", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const old = await published(key, "re", passing("old"));
    await aws(key, "DeleteStateMachine", { stateMachineArn: old.machineArn });
    const again = await published(key, "re", passing("new"));
    // Version numbers never restart, so the old version ARN names no version of the new machine.
    expect(again.versionArn).toMatch(/:re:2$/);
    const started = await aws(key, "StartExecution", { stateMachineArn: old.versionArn, name: "old-def" });
    expect(started.body).toMatchObject({ __type: "StateMachineDoesNotExist" });
    const current = await aws(key, "StartExecution", { stateMachineArn: again.versionArn, name: "new-def" });
    expect(current.status).toBe(200);
    const end = await env.EXECUTIONS.getByName(`${tenant}/re/new-def`).awaitEnd(10_000);
    expect(end?.output).toBe("new");
  });

  it("deleted through another isolate (this one was not told) → StateMachineDoesNotExist", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    // CreateStateMachine leaves version 1 in this isolate's cache.
    const { versionArn } = await published(key, "elsewhere", passing("old"));
    // The delete as another isolate makes it: straight to the MachineObject, nothing forgotten here.
    const removed = await env.MACHINES.getByName(`${tenant}/elsewhere`).remove(
      { tenant, machine: "elsewhere" },
      { requestId: "another-isolate" },
    );
    expect(removed.outcome.ok).toBe(true);
    const started = await aws(key, "StartExecution", { stateMachineArn: versionArn, name: "after-delete" });
    expect(started.body).toMatchObject({ __type: "StateMachineDoesNotExist" });
  });
});
