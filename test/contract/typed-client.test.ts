// The program written against the generated client (tools/openapi-client), run through the
// Worker with openapi-fetch: it type-checks in `npm run check:client`, and here it must also work,
// every reply checked against /openapi.json on the way.
import { beforeAll, describe, expect, it } from "vitest";
import { edgestate, tour } from "../../tools/openapi-client/program";
import { unique } from "../support/api";
import { Replay } from "../support/contract/replay";
import { TEST_ADMIN_KEY } from "../support/test-secrets";

let replay: Replay;
beforeAll(async () => {
  replay = await Replay.start();
});

describe("a client generated from /openapi.json", () => {
  it("drives entities, sessions and executions as its types say", async () => {
    const client = edgestate("https://edgestate.test", TEST_ADMIN_KEY, replay.fetch);
    const result = await tour(client, unique("c"));
    expect(result).toEqual({
      cart: { items: ["apple", "pear"], coupon: "WELCOME" },
      cartVersion: 3,
      notModified: true,
      sessionData: { n: 2, theme: "dark" },
      executionStatus: "SUCCEEDED",
      historyTypes: expect.arrayContaining(["ExecutionStarted", "PassStateEntered", "ExecutionSucceeded"]),
    });
  });
});
