// Helpers for the state machine tests: definitions from the AWS docs and small shortcuts.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { api, json } from "../support/api";

export interface Started {
  name: string;
  status: string;
  machineVersion: number;
  startedAt: string;
}

export interface Description extends Started {
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  currentStates: string[];
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: string;
  details: Record<string, unknown>;
}

export async function putMachine(name: string, definition: unknown, tenant?: string): Promise<void> {
  const res = await api("PUT", `/v1/machines/${name}`, { body: definition, ...(tenant ? { tenant } : {}) });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`PUT ${name}: ${res.status} ${await res.text()}`);
}

export async function start(
  machine: string,
  body: { input?: unknown; name?: string } = {},
  query = "",
  tenant?: string,
): Promise<{ status: number; body: Description }> {
  const res = await api("POST", `/v1/machines/${machine}/executions${query}`, {
    body,
    ...(tenant ? { tenant } : {}),
  });
  return { status: res.status, body: await json<Description>(res) };
}

export async function describe(machine: string, execution: string, tenant?: string): Promise<Description> {
  const res = await api("GET", `/v1/machines/${machine}/executions/${execution}`, tenant ? { tenant } : {});
  if (res.status !== 200) throw new Error(`describe: ${res.status} ${await res.text()}`);
  return json<Description>(res);
}

export async function history(machine: string, execution: string): Promise<HistoryEvent[]> {
  const res = await api("GET", `/v1/machines/${machine}/executions/${execution}/history?limit=1000`);
  if (res.status !== 200) throw new Error(`history: ${res.status} ${await res.text()}`);
  return (await json<{ events: HistoryEvent[] }>(res)).events;
}

export const types = (events: HistoryEvent[]) => events.map((e) => e.type);

export const executionObject = (machine: string, execution: string, tenant = "default") =>
  env.EXECUTIONS.getByName(`${tenant}/${machine}/${execution}`);

type ExecutionStub = ReturnType<typeof executionObject>;

export const nextAlarm = (stub: ExecutionStub) =>
  runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());

/**
 * Runs the object's alarms until one set at least a second ahead (a timer: wait end, retry,
 * timeout) has run, and returns the time it was set for. "Now" alarms (kicks, index writes) on the
 * way are run too. The execution's clock takes the timer's time, so nothing sleeps.
 */
export async function fireTimer(stub: ExecutionStub): Promise<number> {
  for (let i = 0; i < 10; i++) {
    const at = await nextAlarm(stub);
    if (at === null) throw new Error("no alarm is set");
    await runDurableObjectAlarm(stub);
    if (at - Date.now() > 500) return at;
  }
  throw new Error("no timer alarm after 10 runs");
}

/** Task definitions: one state running `resource`, optionally with Retry/Catch/timeouts. */
export const oneTask = (resource: string, extra: Record<string, unknown> = {}, parameters?: unknown) => ({
  StartAt: "Call",
  States: {
    Call: {
      Type: "Task",
      Resource: resource,
      ...(parameters === undefined ? {} : { Parameters: parameters }),
      ...extra,
      End: true,
    },
  },
});

/** "Hello world" from the Step Functions developer guide (Pass, Choice, Wait, Succeed, Fail). */
export const HELLO_WORLD = {
  Comment: "A Hello World example of the Amazon States Language using Pass states",
  StartAt: "Pass",
  States: {
    Pass: {
      Type: "Pass",
      Next: "Hello World example?",
    },
    "Hello World example?": {
      Type: "Choice",
      Choices: [
        { Variable: "$.IsHelloWorldExample", BooleanEquals: true, Next: "Yes" },
        { Variable: "$.IsHelloWorldExample", BooleanEquals: false, Next: "No" },
      ],
      Default: "Yes",
    },
    Yes: { Type: "Pass", Next: "Wait 3 sec" },
    No: { Type: "Fail", Cause: "Not Hello World" },
    "Wait 3 sec": {
      Comment: "A Wait state delays the state machine from continuing for a specified time.",
      Type: "Wait",
      Seconds: 3,
      Next: "Parallel State",
    },
    "Parallel State": {
      Comment: "A Parallel state can be used to create parallel branches of execution in your state machine.",
      Type: "Parallel",
      Next: "Hello World",
      Branches: [
        { StartAt: "Hello", States: { Hello: { Type: "Pass", End: true } } },
        { StartAt: "World", States: { World: { Type: "Pass", End: true } } },
      ],
    },
    "Hello World": { Type: "Pass", End: true },
  },
};

/** A Map example after the developer guide's "Map state" page (InputPath/ItemsPath/ItemSelector). */
export const MAP_EXAMPLE = {
  StartAt: "Validate-All",
  States: {
    "Validate-All": {
      Type: "Map",
      InputPath: "$.detail",
      ItemsPath: "$.shipped",
      MaxConcurrency: 0,
      ItemSelector: { "parcel.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" },
      ItemProcessor: {
        StartAt: "Validate",
        States: {
          Validate: { Type: "Pass", Parameters: { "id.$": "$.parcel.prod", "at.$": "$.index" }, End: true },
        },
      },
      ResultPath: "$.detail.shipped",
      End: true,
    },
  },
};

export interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string | null;
}

/** Replaces fetch (also inside Durable Objects: same isolate) and records each call. */
export function mockFetch(reply: (call: Call, n: number) => Response | Promise<Response>): Call[] {
  const calls: Call[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init as RequestInit);
    const call = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body ? await request.text() : null,
    };
    calls.push(call);
    return reply(call, calls.length);
  });
  return calls;
}

/** The receiver gets the token in the request body, as a Step Functions callback pattern sends it. */
export function captureTokens(): string[] {
  const tokens: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const body = JSON.parse(await new Request(input as RequestInfo, init as RequestInit).text()) as {
      token: string;
    };
    tokens.push(body.token);
    return new Response(null, { status: 202 });
  });
  return tokens;
}

const VARIABLE_CHARS = 200_000;
const VARIABLES = 16;
const names = Array.from({ length: VARIABLES }, (_, i) => `v${i}`);

/**
 * Over 2 MB of snapshot (3.2 MB, past the platform's limit on one stored value) while it waits:
 * sixteen Pass states, each assigning one 200 KB variable (an Assign sets at most 256 KiB), then a wait.
 */
export const BIG_VARIABLES = {
  QueryLanguage: "JSONata",
  StartAt: "v0",
  States: {
    ...Object.fromEntries(
      names.map((name, i) => [
        name,
        {
          Type: "Pass",
          Assign: { [name]: `{% $pad("", ${VARIABLE_CHARS}, "${String.fromCharCode(97 + i)}") %}` },
          Next: i + 1 < VARIABLES ? names[i + 1] : "Hold",
        },
      ]),
    ),
    Hold: { Type: "Wait", Seconds: 60, Next: "Sum" },
    Sum: {
      Type: "Pass",
      Output: `{% { "lengths": [${names.map((n) => `$length($${n})`).join(", ")}], "last": $substring($v15, 0, 3) } %}`,
      End: true,
    },
  },
};

export const BIG_VARIABLES_OUTPUT = { lengths: names.map(() => VARIABLE_CHARS), last: "ppp" };
