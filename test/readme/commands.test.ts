// The README test's reading of blocks and comments: what it runs, and what it holds each command to.
import { describe, expect, it } from "vitest";
import { commands, hasHeader, shows, trailingComment } from "./commands";
import { shellBlocks } from "./markdown-blocks";

describe("shellBlocks", () => {
  it("finds sh blocks in order, indented ones too, with their directives and headings", () => {
    const md = [
      "## One",
      "```sh",
      "echo a",
      "```",
      "```json",
      "{}",
      "```",
      "<!-- readme-test: skip: needs a Cloudflare account -->",
      "",
      "```sh",
      "npm run deploy",
      "```",
      "### Two",
      "1. step",
      "   <!-- readme-test: restart -->",
      "   ```bash",
      "   echo b",
      "     echo c",
      "   ```",
    ].join("\n");
    expect(shellBlocks(md)).toEqual([
      { line: 3, heading: "One", text: "echo a", restart: false },
      {
        line: 11,
        heading: "One",
        text: "npm run deploy",
        restart: false,
        skip: "needs a Cloudflare account",
      },
      { line: 17, heading: "Two", text: "echo b\n  echo c", restart: true },
    ]);
  });

  it("refuses a skip without a reason and an unknown directive", () => {
    expect(() => shellBlocks("<!-- readme-test: skip -->\n```sh\nx\n```")).toThrow(/must say why/);
    expect(() => shellBlocks("<!-- readme-test: later -->\n```sh\nx\n```")).toThrow(/unknown/);
  });
});

describe("commands", () => {
  it("joins continuation lines, multi-line quotes, loops and heredocs into one command each", () => {
    const block = [
      "curl -s -X PUT $BASE/x \\",
      "  -d '{",
      '  "a": 1 }\'   # 201',
      "",
      "cat > $OUT/f.json <<'EOF'",
      '{ "#": "not a comment" }',
      "EOF",
      "for i in 1 2; do",
      "  echo $i   # {inner}",
      "done",
    ].join("\n");
    const found = commands(block, 10);
    expect(found.map((c) => c.line)).toEqual([10, 14, 17]);
    expect(found[0]!.expect).toEqual({ status: 201, headers: [], output: [] });
    expect(found[1]!.expect).toEqual({ headers: [], output: [] });
    expect(found[2]!.expect).toEqual({ headers: [], output: [] });
  });

  it("reads the status, headers and output claimed below a command, until a blank line", () => {
    const block = [
      "curl -si $BASE/e",
      '# HTTP/1.1 201 Created · ETag: "1" · Location: …',
      '# {"id":"…"}',
      "",
      "# prose about the next command: {not claimed}",
      "curl -s $BASE/x   # 404 when it is gone",
    ].join("\n");
    const [first, second] = commands(block, 1);
    expect(first!.expect).toEqual({
      status: 201,
      headers: [
        { name: "ETag", value: '"1"' },
        { name: "Location", value: "…" },
      ],
      output: ['{"id":"…"}'],
    });
    expect(second!.expect).toEqual({ status: 404, headers: [], output: [] });
  });

  it("refuses two different statuses for one command, and a command that never ends", () => {
    expect(() => commands("curl -s $BASE   # 200\n# HTTP/1.1 404 Not Found", 1)).toThrow(/both 200 and 404/);
    expect(() => commands("echo 'open", 1)).toThrow(/never ends/);
  });
});

describe("trailingComment", () => {
  it("ignores # inside quotes, in parameter expansions and in heredoc bodies", () => {
    expect(trailingComment(`echo "a # b" 'c # d' $# \${#x}   # 204`)).toBe("204");
    expect(trailingComment("echo a#b")).toBeUndefined();
    expect(trailingComment("cat <<EOF\n# 500\nEOF")).toBeUndefined();
  });
});

describe("shows and hasHeader", () => {
  it("match … as anything and the rest exactly", () => {
    expect(shows('{"id":"ses_1","version":1,"x":2}', '{"id":"ses_…","version":1,…}')).toBe(true);
    expect(shows('{"id":"ses_1","version":2}', '{"id":"ses_…","version":1,…}')).toBe(false);
    expect(shows('{"a":[1]}', '{"a":[1]}')).toBe(true);
  });

  it("finds a header case-insensitively by name, with its value", () => {
    const output = 'HTTP/1.1 201 Created\r\netag: "1"\r\nLocation: /v1/x\r\n\r\n{}';
    expect(hasHeader(output, "ETag", '"1"')).toBe(true);
    expect(hasHeader(output, "ETag", '"2"')).toBe(false);
    expect(hasHeader(output, "Location", "…")).toBe(true);
    expect(hasHeader(output, "Edgestate-Version", "…")).toBe(false);
  });
});
