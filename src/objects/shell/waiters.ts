// Requests held until something happens in the object (an execution ends, a transaction's hold on
// an entity is released) or a time bound passes. A timer here only bounds how long a caller
// waits; no stored state hangs on it, so a waiter lost with the instance loses nothing.
export class Waiters<T> {
  private waiting = new Set<(value: T) => void>();

  /** Resolves with what `wake` is given, or with `otherwise` after `ms`; never rejects. */
  wait(ms: number, otherwise: T): Promise<T> {
    return new Promise((resolve) => {
      const done = (value: T) => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve(value);
      };
      const timer = setTimeout(() => done(otherwise), ms);
      this.waiting.add(done);
    });
  }

  wake(value: T): void {
    for (const done of [...this.waiting]) done(value);
  }
}

/** `call`'s result, or a rejection once `ms` pass first (for calls to other objects: a bound, never a rule). */
export function withTimeout<T>(call: () => Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([call(), late]).finally(() => clearTimeout(timer));
}

/** A pause before trying again (a backoff), never a way to wait for something to happen. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
