// Runs async tasks one at a time, in arrival order.
//
// Why: a Durable Object's input gate only holds other events while *storage* operations are in
// flight. Sealing and opening payloads (WebCrypto) and KV calls are other awaits, and they open the
// gate, so a read-modify-write spanning them could interleave with another write and lose an
// update. Every mutation of an object therefore runs through one SerialQueue.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // The chain must survive a failed task; the caller still sees the failure through `result`.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
