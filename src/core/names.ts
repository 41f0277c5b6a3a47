// The naming rules of DESIGN.md, in one place. Anything else is a 400.
export const ENTITY_TYPE = /^[a-z][a-z0-9_-]{0,63}$/;
export const ENTITY_ID = /^[A-Za-z0-9._~-]{1,256}$/;
export const TENANT = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Step Functions allows 1–80 characters for machine and execution names. */
export const MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
export const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * A session subject (a user id, an email, a URN): the id charset plus "@" and ":", which are
 * legal unescaped in a path segment. "." and ".." are refused like ids (dot-segments).
 */
export const SUBJECT = /^[A-Za-z0-9._~@:-]{1,256}$/;

export const DEFAULT_TENANT = "default";
