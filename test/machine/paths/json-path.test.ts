import { describe, expect, it } from "vitest";
import {
  evaluatePath,
  isValidPath,
  isValidReferencePath,
  normalizedPath,
  parsePath,
} from "../../../src/machine/paths/json-path.ts";

// The Goessner/Jayway bookstore, the document most JSONPath examples (and AWS's) are written for.
const store = {
  store: {
    book: [
      { category: "reference", author: "Nigel Rees", title: "Sayings of the Century", price: 8.95 },
      { category: "fiction", author: "Evelyn Waugh", title: "Sword of Honour", price: 12.99 },
      {
        category: "fiction",
        author: "Herman Melville",
        title: "Moby Dick",
        isbn: "0-553-21311-3",
        price: 8.99,
      },
      { category: "fiction", author: "J. R. R. Tolkien", title: "The Lord of the Rings", price: 22.99 },
    ],
    bicycle: { color: "red", price: 19.95 },
  },
  expensive: 10,
  "odd key": { "a.b": 1 },
};

describe("isValidPath", () => {
  it.each([
    "$",
    "$$",
    "$.store.book",
    "$.store.book[0].title",
    "$['store']['book']",
    '$["odd key"]["a.b"]',
    "$.store.book[*].author",
    "$..author",
    "$..book[2]",
    "$..*",
    "$.store.*",
    "$.store.book[0,1]",
    "$.store.book['title','price']",
    "$.store.book[:2]",
    "$.store.book[1:3]",
    "$.store.book[-1:]",
    "$.store.book[::2]",
    "$.store.book[?(@.isbn)]",
    "$.store.book[?(@.price < 10)]",
    "$.store.book[?(@.price < $.expensive)]",
    "$.store.book[?(@.category == 'fiction' && @.price > 20)]",
    "$.store.book[?(!(@.price > 10) || @.author =~ /.*Tolkien/i)]",
    "$$.Execution.Input.orderId",
    "$$.Map.Item.Value",
    "$.a-b.c_d",
  ])("accepts %s", (path) => {
    expect(isValidPath(path)).toBe(true);
  });

  it.each([
    "",
    "store.book",
    "$.",
    "$..",
    "$.store.",
    "$[",
    "$[]",
    "$['unterminated]",
    "$.a[1",
    "$.a b",
    "$$$",
    "$.store.book[?(@.price <)]",
    "$.store.book[?(@.price < 10]",
    "$.store.book[::0]",
    "$.a.length()",
  ])("refuses %j", (path) => {
    expect(isValidPath(path)).toBe(false);
  });

  it("explains a syntax error with its position", () => {
    const result = parsePath("$.a[1");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain("expected ']'");
      expect(result.position).toBe(5);
    }
  });
});

describe("isValidReferencePath", () => {
  it.each(["$", "$.a", "$.a.b[0]", "$['a']['b c'][12]", "$$.Task.Token"])("accepts %s", (path) => {
    expect(isValidReferencePath(path)).toBe(true);
  });

  it.each(["$.a[*]", "$..a", "$.a[0,1]", "$.a[1:2]", "$.a[?(@.b)]", "$.*", "$.a[-1]", "a"])(
    "refuses %s, which can select more than one node",
    (path) => {
      expect(isValidReferencePath(path)).toBe(false);
    },
  );
});

describe("evaluatePath", () => {
  it("returns the whole document for $", () => {
    expect(evaluatePath(store, "$")).toEqual({ found: true, value: store });
  });

  it("returns one value for a singular path", () => {
    expect(evaluatePath(store, "$.store.book[2].isbn")).toEqual({ found: true, value: "0-553-21311-3" });
    expect(evaluatePath(store, "$['odd key']['a.b']")).toEqual({ found: true, value: 1 });
    expect(evaluatePath(store, "$.store.book[-1].price")).toEqual({ found: true, value: 22.99 });
  });

  it("reports a missing singular path as not found, never as undefined", () => {
    expect(evaluatePath(store, "$.store.car")).toEqual({ found: false });
    expect(evaluatePath(store, "$.store.book[9]")).toEqual({ found: false });
    expect(evaluatePath(store, "$.expensive.deeper")).toEqual({ found: false });
    expect(evaluatePath({ a: [1] }, "$.a.b")).toEqual({ found: false });
  });

  it("finds a field whose value is null", () => {
    expect(evaluatePath({ a: null }, "$.a")).toEqual({ found: true, value: null });
  });

  it("does not read inherited properties", () => {
    expect(evaluatePath({}, "$.constructor")).toEqual({ found: false });
    expect(evaluatePath([1, 2], "$.length")).toEqual({ found: false });
  });

  it("returns an array of matches for wildcards and deep scans", () => {
    expect(evaluatePath(store, "$.store.book[*].author").found && evaluatePath(store, "$..author")).toEqual({
      found: true,
      value: ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"],
    });
    expect(evaluatePath(store, "$.store..price")).toEqual({
      found: true,
      value: [8.95, 12.99, 8.99, 22.99, 19.95],
    });
    expect(evaluatePath(store, "$.store.*")).toMatchObject({
      found: true,
      value: [store.store.book, store.store.bicycle],
    });
  });

  it("returns an empty array when an indefinite path matches nothing", () => {
    expect(evaluatePath(store, "$.store.book[?(@.price > 100)]")).toEqual({ found: true, value: [] });
  });

  it("applies unions and slices in the order written", () => {
    const titles = (path: string) => evaluatePath(store, path);
    expect(titles("$.store.book[3,0].price")).toEqual({ found: true, value: [22.99, 8.95] });
    expect(titles("$.store.book[:2].price")).toEqual({ found: true, value: [8.95, 12.99] });
    expect(titles("$.store.book[-2:].price")).toEqual({ found: true, value: [8.99, 22.99] });
    expect(titles("$.store.book[::2].price")).toEqual({ found: true, value: [8.95, 8.99] });
    expect(titles("$.store.book[::-1].price")).toEqual({ found: true, value: [22.99, 8.99, 12.99, 8.95] });
    expect(titles("$.store.bicycle['color','price']")).toEqual({ found: true, value: ["red", 19.95] });
  });

  it("filters with comparisons, existence, logic, root references and regexes", () => {
    const authors = (filter: string) => evaluatePath(store, `$.store.book[?(${filter})].author`);
    expect(authors("@.isbn")).toEqual({ found: true, value: ["Herman Melville"] });
    expect(authors("@.price < 10")).toEqual({ found: true, value: ["Nigel Rees", "Herman Melville"] });
    expect(authors("@.price > $.expensive")).toEqual({
      found: true,
      value: ["Evelyn Waugh", "J. R. R. Tolkien"],
    });
    expect(authors("@.category == 'fiction' && @.price < 20")).toEqual({
      found: true,
      value: ["Evelyn Waugh", "Herman Melville"],
    });
    expect(authors("@.category == 'reference' || @.price > 20")).toEqual({
      found: true,
      value: ["Nigel Rees", "J. R. R. Tolkien"],
    });
    expect(authors("!@.isbn")).toEqual({
      found: true,
      value: ["Nigel Rees", "Evelyn Waugh", "J. R. R. Tolkien"],
    });
    expect(authors("@.author =~ /.*tolkien/i")).toEqual({ found: true, value: ["J. R. R. Tolkien"] });
    expect(authors("@.isbn == '0-553-21311-3'")).toEqual({ found: true, value: ["Herman Melville"] });
    expect(authors("@.isbn != '0-553-21311-3'")).toEqual({
      found: true,
      value: ["Nigel Rees", "Evelyn Waugh", "J. R. R. Tolkien"],
    });
  });

  it("compares objects and arrays structurally in filters", () => {
    const items = { items: [{ tag: { a: 1 } }, { tag: { a: 2 } }] };
    expect(evaluatePath(items, "$.items[?(@.tag.a == 1)]")).toEqual({
      found: true,
      value: [{ tag: { a: 1 } }],
    });
  });

  it("treats an invalid path as not found", () => {
    expect(evaluatePath(store, "$.a[")).toEqual({ found: false });
  });
});

describe("normalizedPath", () => {
  it("prints the bracket form Step Functions uses in error causes", () => {
    const parsed = parsePath("$.a.b[0]");
    expect(parsed.ok && normalizedPath(parsed.value)).toBe("$['a']['b'][0]");
  });
});
