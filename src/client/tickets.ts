// Single-use tickets: how a browser without a key opens one watch (`?ticket=`), issued by code
// that holds one.
import { parseJson } from "./shared.ts";
import type { CallOptions, Transport } from "./transport.ts";
import type { Ticket } from "./watch-messages.ts";

export class Tickets {
  constructor(private readonly t: Transport) {}

  /**
   * A ticket for one watch path (`/v1/entities/cart/c1/watch`), valid once within `ttl` seconds
   * (at most 60). Not retried after a lost reply: only its hash is kept, so ask for another.
   */
  async create(watch: string, options: { ttl?: number } & CallOptions = {}): Promise<Ticket> {
    const reply = await this.t.call({
      method: "POST",
      path: "/v1/tickets",
      body: options.ttl === undefined ? { watch } : { watch, ttl: options.ttl },
      repeat: "unkeyed",
      signal: options.signal,
    });
    return parseJson<Ticket>(reply);
  }
}
