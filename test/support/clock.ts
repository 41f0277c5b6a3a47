// Time a test moves by hand, installed into a Durable Object instance (every object takes its time
// from its `clock`, see src/objects/shell/object-shell.ts), so no test sleeps or rewrites stored
// times to make them pass.
import { runInDurableObject } from "cloudflare:test";
import type { Clock } from "../../src/core/clock";

export class ManualClock implements Clock {
  constructor(public t = Date.now()) {}
  now() {
    return this.t;
  }
  advance(ms: number) {
    this.t += ms;
  }
}

/** Same isolate, same object: later `clock.advance` calls move that object's time too. */
export async function useClock(stub: DurableObjectStub, clock: Clock): Promise<void> {
  await runInDurableObject(stub, (instance) => {
    // Every edgestate object has a public `clock` (ObjectShell); the stub type here is any object's.
    (instance as unknown as { clock: Clock }).clock = clock;
  });
}
