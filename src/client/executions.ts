// Executions of state machines, and the callbacks that finish their waiting tasks.
import { EdgestateError } from "./errors.ts";
import { pages, parseJson, readJson } from "./shared.ts";
import { aborted, type CallOptions, type Transport, type WriteOptions } from "./transport.ts";
import { type WatchOptions, watchPath } from "./watch.ts";
import type { ExecutionWatchMessage } from "./watch-messages.ts";
import type { ReplyBody, Schemas } from "./wire.ts";

export type ExecutionDescription = Schemas["ExecutionDescription"];
export type ExecutionStarted = Schemas["ExecutionStarted"];
export type ExecutionStatus = ExecutionDescription["status"];
export type HistoryPage = ReplyBody<"/v1/machines/{name}/executions/{execution}/history", "get", 200>;
export type HistoryEvent = HistoryPage["events"][number];
export type ExecutionPage = ReplyBody<"/v1/machines/{name}/executions", "get", 200>;
export type TenantExecutionPage = ReplyBody<"/v1/executions", "get", 200>;
export type WaitingTask = Schemas["WaitingTask"];

export interface StartOptions extends WriteOptions {
  input?: unknown;
  /** 1–80 of `A-Z a-z 0-9 _ -`; one is made when omitted. A name with the same input is the same execution. */
  name?: string;
  /** Hold the reply until the execution ends, up to this many seconds (0–60). */
  waitSeconds?: number;
}

export interface WaitOptions extends CallOptions {
  /** Give up with code `timeout` after this many ms (default 60,000). */
  timeoutMs?: number;
}

export interface ListExecutionsOptions extends CallOptions {
  status?: ExecutionStatus;
  limit?: number;
  cursor?: string;
}

/** The ms a `?wait` start may be held by the server (a bad value is the server's 400 to give). */
function heldFor(waitSeconds: number | undefined): number {
  return waitSeconds !== undefined && Number.isFinite(waitSeconds) && waitSeconds > 0
    ? waitSeconds * 1000
    : 0;
}

const path = (machine: string, name: string) =>
  `/v1/machines/${encodeURIComponent(machine)}/executions/${encodeURIComponent(name)}`;

export class Executions {
  constructor(private readonly t: Transport) {}

  /**
   * Starts an execution of the machine's latest version. Retried under one Idempotency-Key, so a
   * lost reply never starts a second one (the retry gets the first reply, name and all).
   */
  async start(machine: string, options: StartOptions = {}): Promise<ExecutionStarted | ExecutionDescription> {
    const body: { input?: unknown; name?: string } = {};
    if (options.input !== undefined) body.input = options.input;
    if (options.name !== undefined) body.name = options.name;
    const reply = await this.t.call({
      method: "POST",
      path: `/v1/machines/${encodeURIComponent(machine)}/executions`,
      query: { wait: options.waitSeconds },
      holdMs: heldFor(options.waitSeconds),
      body,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<ExecutionStarted | ExecutionDescription>(reply);
  }

  async describe(machine: string, name: string, options: CallOptions = {}): Promise<ExecutionDescription> {
    return readJson<ExecutionDescription>(this.t, path(machine, name), undefined, options);
  }

  /**
   * Resolves with the description once the execution is no longer RUNNING: it watches the
   * execution, so it answers the moment the final status commits, with no polling.
   */
  async wait(machine: string, name: string, options: WaitOptions = {}): Promise<ExecutionDescription> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for await (const message of this.watch(machine, name, { signal: controller.signal })) {
        if (message.type === "status" && message.execution.status !== "RUNNING") return message.execution;
      }
      if (options.signal?.aborted) throw aborted(options.signal);
      if (controller.signal.aborted) {
        throw new EdgestateError({
          code: "timeout",
          status: 0,
          title: "Timeout",
          detail: `execution ${name} was still RUNNING after ${timeoutMs} ms`,
        });
      }
      // The watch was over before it said how (a resumed watch of an ended execution): ask.
      return await this.describe(machine, name, options);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * The execution's status, then every history event as it commits; ends after the final status.
   * A resumed connection starts with the current status again, then the events after the last one.
   */
  watch(machine: string, name: string, options: WatchOptions = {}): AsyncGenerator<ExecutionWatchMessage> {
    return watchPath<ExecutionWatchMessage>(this.t, `${path(machine, name)}/watch`, options);
  }

  /** History events, oldest first, a page at a time. */
  history(
    machine: string,
    name: string,
    options: { limit?: number } & CallOptions = {},
  ): AsyncIterableIterator<HistoryPage> {
    return pages((cursor) =>
      this.t
        .call({
          method: "GET",
          path: `${path(machine, name)}/history`,
          query: { limit: options.limit, cursor },
          repeat: "safe",
          signal: options.signal,
        })
        .then((r) => parseJson<HistoryPage>(r)),
    );
  }

  /** Stops a running execution (ABORTED), with an optional error and cause. */
  async stop(
    machine: string,
    name: string,
    options: { error?: string; cause?: string } & WriteOptions = {},
  ): Promise<ExecutionDescription> {
    const body: { error?: string; cause?: string } = {};
    if (options.error !== undefined) body.error = options.error;
    if (options.cause !== undefined) body.cause = options.cause;
    return this.write(`${path(machine, name)}/stop`, body, options);
  }

  /** Goes on with a FAILED, TIMED_OUT or ABORTED execution from where it stopped. */
  async redrive(machine: string, name: string, options: WriteOptions = {}): Promise<ExecutionDescription> {
    return this.write(`${path(machine, name)}/redrive`, undefined, options);
  }

  /** One page of a machine's executions, newest first (eventually consistent). */
  async list(machine: string, options: ListExecutionsOptions = {}): Promise<ExecutionPage> {
    return this.read(`/v1/machines/${encodeURIComponent(machine)}/executions`, options);
  }

  /** One page of the tenant's executions across machines, newest first. */
  async listAll(options: ListExecutionsOptions = {}): Promise<TenantExecutionPage> {
    return this.read("/v1/executions", options);
  }

  /** What a running execution waits on, with each `.waitForTaskToken` task's token. */
  async tasks(machine: string, name: string, options: CallOptions = {}): Promise<WaitingTask[]> {
    const reply = await this.t.call({
      method: "GET",
      path: `${path(machine, name)}/tasks`,
      repeat: "safe",
      signal: options.signal,
    });
    return parseJson<{ items: WaitingTask[] }>(reply).items;
  }

  private async read<P>(listPath: string, options: ListExecutionsOptions): Promise<P> {
    return readJson<P>(
      this.t,
      listPath,
      { status: options.status, limit: options.limit, cursor: options.cursor },
      options,
    );
  }

  private async write(
    writePath: string,
    body: unknown,
    options: WriteOptions,
  ): Promise<ExecutionDescription> {
    const reply = await this.t.call({
      method: "POST",
      path: writePath,
      body,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<ExecutionDescription>(reply);
  }
}

/** Finishing `.waitForTaskToken` tasks (Step Functions' SendTaskSuccess/Failure/Heartbeat). */
export class Callbacks {
  constructor(private readonly t: Transport) {}

  async succeed(taskToken: string, output: unknown, options: WriteOptions = {}): Promise<void> {
    await this.send("success", { taskToken, output }, options);
  }

  async fail(
    taskToken: string,
    failure: { error?: string; cause?: string } = {},
    options: WriteOptions = {},
  ) {
    await this.send("failure", { taskToken, ...failure }, options);
  }

  async heartbeat(taskToken: string, options: WriteOptions = {}): Promise<void> {
    await this.send("heartbeat", { taskToken }, options);
  }

  private async send(kind: string, body: unknown, options: WriteOptions): Promise<void> {
    await this.t.call({
      method: "POST",
      path: `/v1/callbacks/${kind}`,
      body,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
  }
}
