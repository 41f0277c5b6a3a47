// Tests that change an object's storage behind its back. Objects remember what they stored (the
// newest version, deadlines, a lease's end): each is the only writer of its storage, so in
// production nothing else can change it. A test that does restarts the object afterwards, as a
// redeploy or an eviction would, so the object reads storage again.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";

export async function behindItsBack<T>(
  stub: DurableObjectStub,
  change: (state: DurableObjectState) => T | Promise<T>,
): Promise<T> {
  const result = await runInDurableObject(stub, (_instance, state) => change(state));
  await evictDurableObject(stub);
  return result;
}

/** A sealed value with one base64url character of its ciphertext part replaced by another valid one. */
export function flipOneByte(sealed: string): string {
  const at = sealed.lastIndexOf(".") + 5;
  const ch = sealed[at]!;
  return sealed.slice(0, at) + (ch === "A" ? "B" : "A") + sealed.slice(at + 1);
}
