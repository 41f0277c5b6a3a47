// State machines (Amazon States Language definitions, versioned) and TestState.
import { parseJson, readJson } from "./shared.ts";
import type { CallOptions, Transport, WriteOptions } from "./transport.ts";
import type { ReplyBody, Schemas } from "./wire.ts";

export type MachineVersionWritten = Schemas["MachineVersionWritten"];
export type Machine = ReplyBody<"/v1/machines/{name}", "get", 200>;
export type MachinePage = ReplyBody<"/v1/machines", "get", 200>;
export type Validation = ReplyBody<"/v1/definitions/validate", "post", 200>;
export type TestStateRequest = Schemas["TestStateRequest"];
export type TestStateResult = Schemas["TestStateResult"];

/** A definition as JSON: `{ StartAt, States, … }`. */
export type Definition = Record<string, unknown>;

const path = (name: string) => `/v1/machines/${encodeURIComponent(name)}`;

export class Machines {
  constructor(private readonly t: Transport) {}

  /** Creates the machine or adds a version; a definition equal to the latest returns it unchanged. */
  async put(
    name: string,
    definition: Definition,
    options: WriteOptions = {},
  ): Promise<MachineVersionWritten> {
    const reply = await this.t.call({
      method: "PUT",
      path: path(name),
      body: definition,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<MachineVersionWritten>(reply);
  }

  /** The latest version (or `version`), with its definition and the list of kept versions. */
  async get(name: string, options: { version?: number } & CallOptions = {}): Promise<Machine> {
    return readJson<Machine>(this.t, path(name), { version: options.version }, options);
  }

  /** Deletes the machine; running executions finish on their own copy. */
  async delete(name: string, options: WriteOptions = {}): Promise<void> {
    await this.t.call({
      method: "DELETE",
      path: path(name),
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
  }

  /** One page of the tenant's machines. */
  async list(options: { limit?: number; cursor?: string } & CallOptions = {}): Promise<MachinePage> {
    return readJson<MachinePage>(
      this.t,
      "/v1/machines",
      { limit: options.limit, cursor: options.cursor },
      options,
    );
  }

  /** Every diagnostic of a definition, without storing it. */
  async validate(definition: Definition, options: CallOptions = {}): Promise<Validation> {
    const reply = await this.t.call({
      method: "POST",
      path: "/v1/definitions/validate",
      body: definition,
      repeat: "safe",
      signal: options.signal,
    });
    return parseJson<Validation>(reply);
  }

  /** The machine drawn as SVG (an execution's path highlighted when `execution` is given). */
  async diagram(
    name: string,
    options: { version?: number; execution?: string } & CallOptions = {},
  ): Promise<string> {
    const reply = await this.t.call({
      method: "GET",
      path: `${path(name)}/diagram.svg`,
      query: { version: options.version, execution: options.execution },
      headers: { Accept: "image/svg+xml" },
      repeat: "safe",
      signal: options.signal,
    });
    return reply.text;
  }

  /**
   * Runs one state (Step Functions' TestState). Sent once: with a real Task call it has effects,
   * and the server does not deduplicate it.
   */
  async testState(request: TestStateRequest, options: CallOptions = {}): Promise<TestStateResult> {
    const reply = await this.t.call({
      method: "POST",
      path: "/v1/states/test",
      body: request,
      repeat: "unkeyed",
      signal: options.signal,
    });
    return parseJson<TestStateResult>(reply);
  }
}
