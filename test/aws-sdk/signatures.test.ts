// Signature Version 4 over real HTTP: the SDK's own signer (@smithy/signature-v4) builds tampered,
// expired and wrong-key requests by hand; the SDK itself meets a wrong secret, a revoked key, a key
// without the scope, another tenant's ARN, and a clock twenty minutes off.
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { Sha256Js } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { base, failure, type Key, newKey, REGION, ROLE, rest, sfn, unique } from "./support";

const DEFINITION = JSON.stringify({ StartAt: "A", States: { A: { Type: "Succeed" } } });

async function signed(key: Key, body: string, options: { at?: Date; secret?: string; send?: string } = {}) {
  const url = new URL(`${base()}/aws/states/`);
  const signer = new SignatureV4({
    service: "states",
    region: REGION,
    credentials: {
      accessKeyId: key.awsAccessKeyId,
      secretAccessKey: options.secret ?? key.awsSecretAccessKey,
    },
    sha256: Sha256Js,
  });
  const request = await signer.sign(
    {
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: {
        host: url.host,
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AWSStepFunctions.ValidateStateMachineDefinition",
      },
      body,
    },
    { signingDate: options.at ?? new Date() },
  );
  const res = await fetch(url, {
    method: "POST",
    headers: request.headers as Record<string, string>,
    body: options.send ?? body,
  });
  return {
    status: res.status,
    body: (await res.json()) as { __type?: string; message?: string; result?: string },
  };
}

describe("Signature Version 4 against wrangler dev", () => {
  const body = JSON.stringify({ definition: DEFINITION });

  it("takes what the SDK's signer signs", async () => {
    expect(await signed(await newKey(unique("sig")), body)).toMatchObject({
      status: 200,
      body: { result: "OK" },
    });
  });

  it("refuses a tampered body, the wrong secret and a 16-minute-old signature", async () => {
    const key = await newKey(unique("sig"));
    const tampered = await signed(key, body, { send: JSON.stringify({ definition: "{}" }) });
    expect(tampered).toMatchObject({ status: 400, body: { __type: "InvalidSignatureException" } });
    const wrong = await signed(key, body, { secret: "A".repeat(40) });
    expect(wrong).toMatchObject({ status: 400, body: { __type: "InvalidSignatureException" } });
    const old = await signed(key, body, { at: new Date(Date.now() - 16 * 60_000) });
    expect(old).toMatchObject({
      status: 400,
      body: { __type: "InvalidSignatureException", message: expect.stringMatching(/^Signature expired/) },
    });
  });

  it("the SDK with a wrong secret, a revoked key, or a read-only key writing", async () => {
    const key = await newKey(unique("sig"));
    const wrong = sfn({ awsAccessKeyId: key.awsAccessKeyId, awsSecretAccessKey: "B".repeat(40) });
    expect(await failure(wrong.send(new ListStateMachinesCommand({})))).toMatchObject({
      name: "InvalidSignatureException",
      status: 400,
    });
    const client = sfn(key);
    await client.send(new ListStateMachinesCommand({}));
    expect((await rest("DELETE", `/v1/keys/${key.id}`)).status).toBe(204);
    // Revocation reaches every isolate within the key cache's 5 seconds (the README's bound).
    await expect
      .poll(async () => (await failure(client.send(new ListStateMachinesCommand({})))).name, {
        timeout: 8_000,
      })
      .toBe("UnrecognizedClientException");
    const reader = sfn(await newKey(unique("sig"), ["read"]));
    expect(
      await failure(
        reader.send(new CreateStateMachineCommand({ name: "m", definition: DEFINITION, roleArn: ROLE })),
      ),
    ).toMatchObject({
      name: "AccessDeniedException",
    });
  });

  it("another tenant's ARN does not exist for this key", async () => {
    const owner = sfn(await newKey(unique("sig")));
    const { stateMachineArn } = await owner.send(
      new CreateStateMachineCommand({ name: "mine", definition: DEFINITION, roleArn: ROLE }),
    );
    const other = sfn(await newKey(unique("sig")));
    expect(await failure(other.send(new DescribeStateMachineCommand({ stateMachineArn })))).toMatchObject({
      name: "StateMachineDoesNotExist",
    });
    expect(await failure(other.send(new StartExecutionCommand({ stateMachineArn })))).toMatchObject({
      name: "StateMachineDoesNotExist",
    });
  });

  it("a client whose clock is 20 minutes off is corrected by the reply's Date, as against AWS", async () => {
    const key = await newKey(unique("sig"));
    const skewed = new SFNClient({
      endpoint: `${base()}/aws/states`,
      region: REGION,
      credentials: { accessKeyId: key.awsAccessKeyId, secretAccessKey: key.awsSecretAccessKey },
      systemClockOffset: -20 * 60_000,
      maxAttempts: 2,
    });
    const listed = await skewed.send(new ListStateMachinesCommand({}));
    expect(listed.$metadata.attempts).toBe(2);
    expect(Math.abs(skewed.config.systemClockOffset)).toBeLessThan(60_000);
  });
});
