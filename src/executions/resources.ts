// The Task resources this engine runs. Anything else validates with a WARNING (the definition stays
// portable) and fails at run time with States.TaskFailed.
import { WAIT_FOR_TASK_TOKEN } from "../machine/states/task-resource.ts";

export const HTTP_RESOURCES = ["arn:aws:states:::http:invoke", "http:invoke"] as const;
export const ENTITY_ACTIONS = ["get", "put", "patch", "delete"] as const;
export type EntityAction = (typeof ENTITY_ACTIONS)[number];

export type ResourceKind =
  | { kind: "http"; callback: boolean }
  | { kind: "entity"; action: EntityAction; callback: boolean }
  | { kind: "unsupported" };

export function classifyResource(resource: string): ResourceKind {
  const callback = resource.endsWith(WAIT_FOR_TASK_TOKEN);
  const base = callback ? resource.slice(0, -WAIT_FOR_TASK_TOKEN.length) : resource;
  if ((HTTP_RESOURCES as readonly string[]).includes(base)) return { kind: "http", callback };
  const entity = /^edgestate:entity:(get|put|patch|delete)$/.exec(base);
  if (entity) return { kind: "entity", action: entity[1] as EntityAction, callback };
  return { kind: "unsupported" };
}

/** For `validateDefinitionText(text, { supportedResources })`. */
export const supportedResource = (resource: string): boolean =>
  classifyResource(resource).kind !== "unsupported";
