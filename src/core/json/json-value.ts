// Plain JSON values, and helpers that treat them as data only: keys such as "__proto__" or
// "constructor" are ordinary own properties here and never touch an object's prototype.

// Recursion through interfaces, not a type alias: the types of Durable Object stubs map every
// method's types deeply, and an alias-recursive JSON type is "excessively deep" for them.
export type JsonValue = null | boolean | number | string | JsonArray | JsonObject;
export interface JsonArray extends Array<JsonValue> {}
export interface JsonObject {
  [key: string]: JsonValue;
}

export const isJsonObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const hasOwn = (o: object, key: string): boolean => Object.hasOwn(o, key);

/** Sets an own data property even when the key is "__proto__" (plain assignment would not). */
export function defineKey(o: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]!));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => hasOwn(b, k) && deepEqual(a[k]!, b[k]!))
    );
  }
  return false;
}

export const cloneJson = <T extends JsonValue>(v: T): T => structuredClone(v);
