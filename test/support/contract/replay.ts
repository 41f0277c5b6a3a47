// Requests through the Worker, each reply held against /openapi.json, and a record of which
// operations were exercised: the contract test fails when an operation has no replay case.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { apiRequest, type Call } from "../api";
import { checkExchange } from "./check";
import { type ContractDocument, loadContract } from "./document";

const NULL_BODY = new Set([101, 204, 205, 304]);

export class Replay {
  /** operationId → the statuses its replies had. */
  readonly seen = new Map<string, Set<number>>();

  private constructor(readonly contract: ContractDocument) {}

  static async start(): Promise<Replay> {
    return new Replay(await loadContract((url) => exports.default.fetch(url)));
  }

  /** A fetch for clients (openapi-fetch): the Worker's, with every reply checked. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const res = await exports.default.fetch(request.clone());
    const body = await res.text();
    const { operation, violations } = checkExchange(this.contract, {
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      status: res.status,
      headers: res.headers,
      body,
    });
    if (operation) {
      const statuses = this.seen.get(operation.id) ?? new Set<number>();
      this.seen.set(operation.id, statuses.add(res.status));
    }
    const where = `${request.method} ${new URL(request.url).pathname} → ${res.status}`;
    expect(violations, `${where} breaks /openapi.json:\n${body.slice(0, 500)}`).toEqual([]);
    return new Response(NULL_BODY.has(res.status) || body === "" ? null : body, res);
  };

  /** `api()`'s request, checked; `status` is the one the case expects. */
  async send(method: string, path: string, status: number, call: Call = {}): Promise<Response> {
    const res = await this.fetch(apiRequest(method, path, call));
    if (res.status !== status) {
      throw new Error(
        `${method} ${path}: ${status} expected, got ${res.status}: ${await res.clone().text()}`,
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
