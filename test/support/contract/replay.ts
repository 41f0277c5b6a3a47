// Requests through the Worker, each reply held against /openapi.json, and a record of which
// operations were exercised: the contract test fails when an operation has no replay case.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { apiRequest, type Call } from "../api";
import type { ContractDocument } from "./document";
import { currentContract, preview, settle } from "./settle";

export class Replay {
  /** operationId → the statuses its replies had. */
  readonly seen = new Map<string, Set<number>>();

  private constructor(readonly contract: ContractDocument) {}

  static async start(): Promise<Replay> {
    return new Replay(await currentContract());
  }

  /** A fetch for clients (openapi-fetch): the Worker's, with every reply checked. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const { operation, violations, response } = await settle(
      request,
      await exports.default.fetch(request.clone()),
      true,
    );
    if (operation) {
      const statuses = this.seen.get(operation.id) ?? new Set<number>();
      this.seen.set(operation.id, statuses.add(response.status));
    }
    const where = `${request.method} ${new URL(request.url).pathname} → ${response.status}`;
    if (violations.length)
      expect(violations, `${where} breaks /openapi.json:\n${await preview(response, 500)}`).toEqual([]);
    return response;
  };

  /** `api()`'s request, checked; `status` is the one the case expects. */
  async send(method: string, path: string, status: number, call: Call = {}): Promise<Response> {
    const res = await this.fetch(apiRequest(method, path, call));
    if (res.status !== status) {
      throw new Error(
        `${method} ${path}: ${status} expected, got ${res.status}: ${await preview(res, 2000)}`,
      );
    }
    return res;
  }

  /** The operations no case reached with a success (2xx or 304): each needs a replay case. */
  unexercised(): string[] {
    return this.contract.operations
      .filter((o) => ![...(this.seen.get(o.id) ?? [])].some((s) => s < 400))
      .map((o) => `${o.id} (${o.method.toUpperCase()} ${o.template})`);
  }
}
