// Shared by the machines-* security tests: the reply check every hostile request must pass, what
// "unchanged" means for a machine and for a waiting task, and the raw storage of an execution.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { executionStub, machineStub } from "../../src/objects/names";
import { api, fetchChecked, json } from "../support/api";
import { TEST_ADMIN_KEY } from "../support/test-secrets";

export const ADMIN = `Bearer ${TEST_ADMIN_KEY}`;

/** No 5xx; every 4xx is a problem document whose `status` is the reply's. Returns the body text. */
export async function checkReply(res: Response): Promise<string> {
  const text = await res.text();
  expect(res.status, text).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("Content-Type"), text).toBe("application/problem+json");
    expect((JSON.parse(text) as { status: number }).status, text).toBe(res.status);
  }
  return text;
}

/** Straight to the Worker, for bodies and headers the api() helper would tidy up. */
export const fetchRaw = (path: string, init: RequestInit) => fetchChecked(path, init);

/**
 * A machine as the API serves it: the status and the whole body (version, definition, versions);
 * for a refusal, the problem without its per-request `instance`.
 */
export async function machineSnapshot(
  tenant: string,
  name: string,
): Promise<{ status: number; body: unknown }> {
  const res = await api("GET", `/v1/machines/${name}`, { tenant });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status >= 400) delete body.instance;
  return { status: res.status, body };
}

/** Echoes its input: `{"echo": <input>}`. */
export const ECHO = {
  StartAt: "Echo",
  States: { Echo: { Type: "Pass", Parameters: { "echo.$": "$" }, End: true } },
};

export async function seedMachine(tenant: string, name: string, definition: unknown = ECHO): Promise<void> {
  const res = await api("PUT", `/v1/machines/${name}`, { tenant, body: definition });
  expect([200, 201], await res.clone().text()).toContain(res.status);
}

export const CALLBACK = "arn:aws:states:::http:invoke.waitForTaskToken";

/** One task that waits for a callback; the receiver is sent `{token}`. */
export const WAITING = {
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: CALLBACK,
      Parameters: {
        ApiEndpoint: "https://approvals.example.com/requests",
        Method: "POST",
        RequestBody: { "token.$": "$$.Task.Token" },
      },
      End: true,
    },
  },
};

/** Mocks outbound fetch (the receiver of a callback task) and collects the task tokens it is sent. */
export function captureTokens(): string[] {
  const tokens: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const text = await new Request(input as RequestInfo, init as RequestInit).text();
    tokens.push((JSON.parse(text) as { token: string }).token);
    return new Response(null, { status: 202 });
  });
  return tokens;
}

/** Starts an execution of a WAITING machine and returns its task token once the call went out. */
export async function waitingTask(
  tokens: string[],
  tenant: string,
  machine: string,
  execution: string,
): Promise<string> {
  const seen = tokens.length;
  const res = await api("POST", `/v1/machines/${machine}/executions`, {
    tenant,
    body: { name: execution, input: {} },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  // A plain loop rather than expect.poll, so this also works in beforeAll.
  for (let i = 0; i < 250 && tokens.length === seen; i++) await new Promise((r) => setTimeout(r, 20));
  if (tokens.length === seen) throw new Error("the waiting task never called out with its token");
  return tokens[tokens.length - 1]!;
}

export async function describeExecution(tenant: string, machine: string, execution: string) {
  const res = await api("GET", `/v1/machines/${machine}/executions/${execution}`, { tenant });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<{ status: string; currentStates: string[]; input: unknown; output: unknown }>(res);
}

type Tables = Record<string, Record<string, unknown>[]>;

/** Every row of every readable table of a Durable Object, and its synchronous KV storage. */
async function dumpStorage(stub: DurableObjectStub): Promise<{ tables: Tables; kv: [string, unknown][] }> {
  return runInDurableObject(stub, async (_instance, state) => {
    const tables: Tables = {};
    const names = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((r) => r.name);
    for (const name of names) {
      // _cf_* are the platform's tables (storage.kv, alarms); SQL may not read them.
      if (name.startsWith("_cf_")) continue;
      tables[name] = state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray();
    }
    return { tables, kv: [...state.storage.kv.list()] };
  });
}

export const dumpExecutionStorage = (tenant: string, machine: string, execution: string) =>
  dumpStorage(executionStub(env, tenant, machine, execution) as unknown as DurableObjectStub);

export const dumpMachineStorage = (tenant: string, machine: string) =>
  dumpStorage(machineStub(env, tenant, machine) as unknown as DurableObjectStub);

/** Runs SQL inside an execution object: how tests tamper with stored ciphertext. */
export const execInExecution = (
  tenant: string,
  machine: string,
  execution: string,
  query: string,
  ...bindings: unknown[]
) =>
  runInDurableObject(
    executionStub(env, tenant, machine, execution) as unknown as DurableObjectStub,
    (_i, state) => state.storage.sql.exec(query, ...bindings).toArray(),
  );
