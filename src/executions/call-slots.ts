// A cap on how many outbound calls one execution has in flight: a Map over 300 items must not
// open 300 connections to someone's API from one request. Calls past the cap wait, in order, for
// a slot. One execution lives in one object, in one isolate, so the count is kept here, per
// execution; a call still running when its object is evicted keeps its slot until it ends.

interface Slots {
  running: number;
  waiting: (() => void)[];
}

const byExecution = new Map<string, Slots>();

export async function withCallSlot<T>(execution: string, max: number, call: () => Promise<T>): Promise<T> {
  let slots = byExecution.get(execution);
  if (!slots) {
    slots = { running: 0, waiting: [] };
    byExecution.set(execution, slots);
  }
  if (slots.running >= max) await new Promise<void>((resolve) => slots.waiting.push(resolve));
  else slots.running++;
  try {
    return await call();
  } finally {
    // The slot passes straight to the next waiter, so `running` never dips below the cap while
    // calls are queued; the entry goes when the execution has nothing in flight.
    const next = slots.waiting.shift();
    if (next) next();
    else if (--slots.running === 0) byExecution.delete(execution);
  }
}
