// Every operation of /openapi.json, replayed through the Worker: each reply's status, headers and
// body are checked against the document (test/support/contract). A route added without a case
// here fails the last test, which names it.
import { beforeAll, describe, expect, it } from "vitest";
import { Replay } from "../support/contract/replay";
import { replayAws, replayDiscovery, replayTestStateAndRedrive } from "./cases/discovery";
import { replayEntities, replayRefusals } from "./cases/entities";
import { replayIndexes } from "./cases/indexes";
import { replayAdmin, replayKeys, replayService } from "./cases/keys";
import { replayCallbacks, replayMachines } from "./cases/machines";
import { replaySessions } from "./cases/sessions";
import { replayTransactions } from "./cases/transactions";
import { replayTickets, replayWatches } from "./cases/watch";

let replay: Replay;
beforeAll(async () => {
  replay = await Replay.start();
});

describe("/openapi.json describes every reply exactly", () => {
  it("entities", () => replayEntities(replay));
  it("secondary indexes and their queries", () => replayIndexes(replay));
  it("sessions", () => replaySessions(replay));
  it("transactions across entities", () => replayTransactions(replay));
  it("state machines and executions", () => replayMachines(replay));
  it("callbacks and stops of waiting tasks", () => replayCallbacks(replay));
  it("API keys", () => replayKeys(replay));
  it("tenant administration", () => replayAdmin(replay));
  it("health and the document itself", () => replayService(replay));
  it("listings across the tenant", () => replayDiscovery(replay));
  it("TestState and redrive", () => replayTestStateAndRedrive(replay));
  it("watches, as WebSockets and as Server-Sent Events", () => replayWatches(replay));
  it("watch tickets", () => replayTickets(replay));
  it("the AWS Step Functions endpoint", () => replayAws(replay));
  it("the refusals every operation shares, and the document-wide 404 and 405", () => replayRefusals(replay));

  it("has a replay case reaching a success of every operation", () => {
    expect(replay.unexercised(), "add a case in test/contract/cases/").toEqual([]);
  });
});
