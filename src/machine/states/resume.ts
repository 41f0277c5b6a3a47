// After a redrive has put the halted frames back (redrive.ts), the Parallel and Map states among
// them go on. One that failed in its own processing rather than in a child has no child to wait
// for, and nothing else would ever wake it: a Parallel whose branches all succeeded runs its result
// processing again over the kept results, and a Map starts the items not started yet (an item
// whose ItemSelector failed among them) or, with none left, runs its result processing again.
// What succeeded is kept, as AWS keeps the branches and iterations that succeeded.

import type { Runtime } from "../runtime.ts";
import { resumeMap } from "./map.ts";
import { resumeParallel } from "./parallel.ts";

export async function resumeParents(rt: Runtime): Promise<void> {
  for (const id of Object.keys(rt.snap.frames)) {
    const frame = rt.snap.frames[id];
    if (rt.snap.status !== "RUNNING" || !frame) continue;
    if (frame.position.kind === "parallel") await resumeParallel(rt, frame);
    else if (frame.position.kind === "map") await resumeMap(rt, frame);
  }
}
