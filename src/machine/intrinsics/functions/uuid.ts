import { succeed } from "../../errors.ts";
import type { IntrinsicFunction } from "../types.ts";

/** A version 4 UUID built from the injected random source, so tests can pin it. */
export const uuid: IntrinsicFunction = {
  name: "States.UUID",
  minArgs: 0,
  maxArgs: 0,
  evaluate(_args, env) {
    const bytes = Array.from({ length: 16 }, () => Math.floor(env.random() * 256) & 0xff);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
    return succeed(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    );
  },
};
