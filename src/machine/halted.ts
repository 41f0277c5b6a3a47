// The frames an unsuccessful end leaves behind, kept so a redrive can go on from them. A frame
// that fails, is aborted beside a failing sibling, or is still active when the execution fails,
// times out or is stopped, moves here instead of being forgotten; when the Parallel or Map above
// it recovers (a Retry runs it again, a Catch moves on) its halted frames are dropped, so what is
// left at the end is exactly the part of the execution that did not succeed.

import type { ExecutionSnapshot, Frame } from "./snapshot.ts";

export function keepHalted(snap: ExecutionSnapshot, frame: Frame): void {
  snap.halted = { ...snap.halted, [frame.id]: frame };
}

/** A Parallel or Map recovered: what its branches or iterations left is no longer needed. */
export function forgetHalted(snap: ExecutionSnapshot, frameId: string): void {
  const halted = snap.halted;
  if (!halted) return;
  const parentOf = (id: string) => (halted[id] ?? snap.frames[id])?.parent?.frameId;
  for (const id of Object.keys(halted)) {
    for (let up = parentOf(id); up !== undefined; up = parentOf(up)) {
      if (up === frameId) {
        delete halted[id];
        break;
      }
    }
  }
  if (Object.keys(halted).length === 0) delete snap.halted;
}
