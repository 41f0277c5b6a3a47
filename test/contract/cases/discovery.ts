// Replay cases for the listings across a tenant, TestState, redrive and the AWS endpoint.
import { awsKey, signedRequest } from "../../aws/support";
import { unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";

const FAILS = { StartAt: "Fail", States: { Fail: { Type: "Fail", Error: "Contract.Failed" } } };
const PASSES = { StartAt: "Done", States: { Done: { Type: "Pass", End: true } } };

export async function replayDiscovery(r: Replay) {
  await r.send("PUT", `/v1/entities/contract-types/${unique("t")}`, 201, { body: { a: 1 } });
  await r.send("GET", "/v1/entities?limit=10", 200);
  await r.send("GET", "/v1/entities?cursor=NOT%20A%20TYPE", 400);
  await r.send("GET", "/v1/executions?limit=5", 200);
  await r.send("GET", "/v1/executions?status=FAILED", 200);
}

export async function replayTestStateAndRedrive(r: Replay) {
  await r.send("POST", "/v1/states/test", 200, {
    body: { definition: { Type: "Pass", Result: 1, End: true } },
  });
  await r.send("POST", "/v1/states/test", 400, { body: { definition: { Type: "Nope" } } });

  const name = unique("redrive");
  await r.send("PUT", `/v1/machines/${name}`, 201, { body: FAILS });
  await r.send("POST", `/v1/machines/${name}/executions?wait=10`, 200, { body: { name: "failed" } });
  const redrive = `/v1/machines/${name}/executions/failed/redrive`;
  await r.send("POST", redrive, 200, { headers: { "Idempotency-Key": unique("redrive") } });
  const passes = unique("passes");
  await r.send("PUT", `/v1/machines/${passes}`, 201, { body: PASSES });
  await r.send("POST", `/v1/machines/${passes}/executions?wait=10`, 200, { body: { name: "done" } });
  await r.send("POST", `/v1/machines/${passes}/executions/done/redrive`, 409);
  await r.send("POST", `/v1/machines/${passes}/executions/never/redrive`, 404);
}

export async function replayAws(r: Replay) {
  const key = await awsKey(unique("aws").toLowerCase());
  const path = "/aws/states";
  await r.fetch(await signedRequest(key, "ListStateMachines", {}, { path }));
  await r.fetch(await signedRequest(key, "DescribeExecution", { executionArn: "arn:nope" }, { path }));
  const unsigned = new Request(`https://edgestate.test${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": "AWSStepFunctions.ListStateMachines",
    },
    body: "{}",
  });
  await r.fetch(unsigned);
}
