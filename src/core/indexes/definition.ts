// What an index is: 1–3 key pointers compared by equality and an optional sort pointer whose
// value orders results and takes ranges. The rules a definition must meet live here, so the HTTP
// route and the catalog object refuse the same things.
import { parsePointer } from "../json/json-pointer";

export interface IndexDefinition {
  /** JSON Pointers into the document, compared by equality (a query names every one). */
  keys: string[];
  /** A JSON Pointer whose value orders results and takes ranges; null: results by id. */
  sort: string | null;
  /**
   * No two live entities may share the key values (sparse: a document outside the index is not
   * counted). Enforced at write time through key claims (objects/unique-key-object.ts).
   */
  unique?: true;
}

export const isUnique = (definition: IndexDefinition): boolean => definition.unique === true;

export const MIN_KEYS = 1;
export const MAX_KEYS = 3;
export const MAX_POINTER_LENGTH = 256;
/** As DynamoDB's default of 20 global secondary indexes, halved: every index is work on every write. */
export const MAX_INDEXES_PER_TYPE = 10;

export interface DefinitionProblem {
  pointer: string;
  message: string;
}

/** Why `pointer` cannot be an index pointer, or null when it can. */
export function pointerProblem(pointer: string): string | null {
  if (pointer === "") return 'must point into the document (start with "/"), not be the whole document';
  if (pointer.length > MAX_POINTER_LENGTH) return `must be at most ${MAX_POINTER_LENGTH} characters`;
  const parsed = parsePointer(pointer);
  return parsed.ok ? null : parsed.message;
}

/** Every problem of a definition whose shape (arrays, strings) is already checked. */
export function definitionProblems(definition: IndexDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const { keys, sort } = definition;
  if (keys.length < MIN_KEYS || keys.length > MAX_KEYS) {
    problems.push({ pointer: "/keys", message: `must hold ${MIN_KEYS} to ${MAX_KEYS} JSON Pointers` });
  }
  keys.forEach((key, i) => {
    const problem = pointerProblem(key);
    if (problem) problems.push({ pointer: `/keys/${i}`, message: problem });
    else if (keys.indexOf(key) !== i) {
      problems.push({ pointer: `/keys/${i}`, message: `${key} is already key ${keys.indexOf(key)}` });
    }
  });
  if (sort !== null) {
    const problem = pointerProblem(sort);
    if (problem) problems.push({ pointer: "/sort", message: problem });
    else if (keys.includes(sort)) {
      problems.push({
        pointer: "/sort",
        message: `${sort} is a key: a sort value must differ from the keys`,
      });
    }
  }
  return problems;
}

export const sameDefinition = (a: IndexDefinition, b: IndexDefinition): boolean =>
  a.sort === b.sort &&
  isUnique(a) === isUnique(b) &&
  a.keys.length === b.keys.length &&
  a.keys.every((k, i) => k === b.keys[i]);

/** The definition's fields alone, out of a record or generation that carries more. */
export const definitionOf = (d: IndexDefinition): IndexDefinition => ({
  keys: d.keys,
  sort: d.sort,
  ...(isUnique(d) ? { unique: true as const } : {}),
});
