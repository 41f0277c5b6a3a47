// State machine actions with @aws-sdk/client-sfn against wrangler dev.
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  paginateListStateMachines,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { failure, newKey, REGION, ROLE, sfn, unique } from "./support";

const pass = (result: unknown) =>
  JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: result, End: true } } });

describe("state machines through the AWS SDK", () => {
  it("CreateStateMachine, DescribeStateMachine, UpdateStateMachine, ListStateMachineVersions, DeleteStateMachine", async () => {
    const key = await newKey(unique("sdk"));
    const client = sfn(key);
    const created = await client.send(
      new CreateStateMachineCommand({
        name: "orders",
        definition: pass(1),
        roleArn: ROLE,
        type: "EXPRESS",
        publish: true,
      }),
    );
    expect(created.stateMachineArn).toBe(`arn:aws:states:${REGION}:${key.tenant}:stateMachine:orders`);
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(created.stateMachineVersionArn).toBe(`${created.stateMachineArn}:1`);
    // Create is idempotent for the same definition and role, as in Step Functions.
    const again = await client.send(
      new CreateStateMachineCommand({ name: "orders", definition: pass(1), roleArn: ROLE, type: "EXPRESS" }),
    );
    expect(again.stateMachineArn).toBe(created.stateMachineArn);

    const described = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({
      name: "orders",
      type: "EXPRESS",
      roleArn: ROLE,
      status: "ACTIVE",
      revisionId: "1",
    });
    expect(JSON.parse(described.definition!)).toEqual(JSON.parse(pass(1)));

    for (const n of [2, 3]) {
      const updated = await client.send(
        new UpdateStateMachineCommand({
          stateMachineArn: created.stateMachineArn,
          definition: pass(n),
          publish: true,
        }),
      );
      expect(updated.stateMachineVersionArn).toBe(`${created.stateMachineArn}:${n}`);
      expect(updated.updateDate).toBeInstanceOf(Date);
    }
    const roleOnly = await client.send(
      new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, roleArn: `${ROLE}2` }),
    );
    expect(roleOnly.revisionId).toBe("3");
    const version1 = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: `${created.stateMachineArn}:1` }),
    );
    expect(JSON.parse(version1.definition!)).toEqual(JSON.parse(pass(1)));
    expect(version1.roleArn).toBe(`${ROLE}2`);

    // One per page, following nextToken.
    const versions: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListStateMachineVersionsCommand({
          stateMachineArn: created.stateMachineArn,
          maxResults: 1,
          nextToken,
        }),
      );
      expect(page.stateMachineVersions).toHaveLength(1);
      versions.push(page.stateMachineVersions![0]!.stateMachineVersionArn!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(versions).toEqual([3, 2, 1].map((n) => `${created.stateMachineArn}:${n}`));

    await client.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    const gone = await failure(
      client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })),
    );
    expect(gone).toMatchObject({ name: "StateMachineDoesNotExist", status: 400 });
    // Deleting it again succeeds, as in Step Functions.
    await client.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    const listed = await client.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(listed.stateMachineVersions).toEqual([]);
  });

  it("ListStateMachines pages through the tenant's machines", async () => {
    const key = await newKey(unique("sdk"));
    const client = sfn(key);
    const names = ["a", "b", "c"];
    for (const name of names)
      await client.send(new CreateStateMachineCommand({ name, definition: pass(name), roleArn: ROLE }));
    await expect
      .poll(async () => {
        const seen: string[] = [];
        for await (const page of paginateListStateMachines({ client, pageSize: 2 }, {})) {
          expect(page.stateMachines!.length).toBeLessThanOrEqual(2);
          seen.push(...page.stateMachines!.map((m) => m.name!));
        }
        return seen.sort();
      })
      .toEqual(names);
    const first = await client.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(first.stateMachines![0]).toMatchObject({
      type: "STANDARD",
      stateMachineArn: expect.stringContaining(":stateMachine:"),
    });
    expect(first.stateMachines![0]!.creationDate).toBeInstanceOf(Date);
  });

  it("ValidateStateMachineDefinition reports what is wrong, and where", async () => {
    const client = sfn(await newKey(unique("sdk")));
    const ok = await client.send(new ValidateStateMachineDefinitionCommand({ definition: pass(1) }));
    expect(ok).toMatchObject({ result: "OK", diagnostics: [] });
    const bad = await client.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: "X", States: { A: { Type: "Pass", End: true } } }),
      }),
    );
    expect(bad.result).toBe("FAIL");
    expect(bad.diagnostics![0]).toMatchObject({ severity: "ERROR", location: "/StartAt" });
  });

  it("names errors as AWS does, as the SDK's own exception classes", async () => {
    const key = await newKey(unique("sdk"));
    const client = sfn(key);
    const arn = `arn:aws:states:${REGION}:${key.tenant}:stateMachine:missing`;
    const missing = client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await expect(missing).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    expect(
      await failure(client.send(new DescribeStateMachineCommand({ stateMachineArn: "not-an-arn" }))),
    ).toMatchObject({ name: "InvalidArn" });
    expect(
      await failure(
        client.send(new CreateStateMachineCommand({ name: "no spaces", definition: pass(1), roleArn: ROLE })),
      ),
    ).toMatchObject({ name: "InvalidName" });
    expect(
      await failure(
        client.send(new CreateStateMachineCommand({ name: "bad", definition: "{}", roleArn: ROLE })),
      ),
    ).toMatchObject({ name: "InvalidDefinition" });
    await client.send(new CreateStateMachineCommand({ name: "taken", definition: pass(1), roleArn: ROLE }));
    const taken = client.send(
      new CreateStateMachineCommand({ name: "taken", definition: pass(2), roleArn: ROLE }),
    );
    await expect(taken).rejects.toBeInstanceOf(StateMachineAlreadyExists);
    expect(
      await failure(
        client.send(
          new CreateStateMachineCommand({
            name: "logs",
            definition: pass(1),
            roleArn: ROLE,
            loggingConfiguration: { level: "ALL" },
          }),
        ),
      ),
    ).toMatchObject({ name: "InvalidLoggingConfiguration" });
    expect(await failure(client.send(new UpdateStateMachineCommand({ stateMachineArn: arn })))).toMatchObject(
      { name: "MissingRequiredParameter" },
    );
  });
});
