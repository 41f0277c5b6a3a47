// A README shell block cut into the commands a reader pastes one by one, each with what its
// comments claim. The convention (also at the top of the README's Development section):
//
// - `# 204` (three digits, then anything) at the end of a command's last line: the command's last
//   HTTP reply has that status. `# HTTP/1.1 201 Created · ETag: "1" · …` (at the end of the line or
//   on the comment lines right below the command) claims the status and each `Name: value` header.
// - A comment that starts with `{`, `[` or `"`: the command prints that, where `…` stands for
//   anything (`# {"id":"ses_…","version":1,…}`).
// - Any other comment is prose. A command without a stated status must get a 2xx or 3xx reply.
import { spawnSync } from "node:child_process";

export interface Expectation {
  status?: number;
  headers: { name: string; value: string }[];
  output: string[];
}

export interface Command {
  /** 1-based README line of the command's first line. */
  line: number;
  text: string;
  expect: Expectation;
}

/** Whether bash reads `text` as complete commands (no open quote, loop, heredoc or pipe). */
export function bashComplete(text: string): boolean {
  const run = spawnSync("bash", ["-n"], { input: `${text}\n`, encoding: "utf8" });
  // An unterminated heredoc is only a warning to bash -n; for a reader it is an unfinished command.
  return run.status === 0 && !run.stderr.includes("here-document");
}

export function commands(text: string, firstLine: number, complete = bashComplete): Command[] {
  const lines = text.split("\n");
  const out: Command[] = [];
  let pending: string[] = [];
  let start = 0;
  // The command the comment lines right below it belong to (none after a blank line).
  let below: Command | undefined;
  lines.forEach((line, i) => {
    if (pending.length === 0) {
      if (line.trim() === "") {
        below = undefined;
        return;
      }
      if (line.trimStart().startsWith("#")) {
        if (below) claim(below.expect, line.trimStart().slice(1).trim(), firstLine + i);
        return;
      }
      start = i;
    }
    pending.push(line);
    const joined = pending.join("\n");
    if (/\\$/.test(line) || !complete(joined)) return;
    const command: Command = { line: firstLine + start, text: joined, expect: { headers: [], output: [] } };
    const comment = trailingComment(joined);
    if (comment !== undefined) claim(command.expect, comment, firstLine + i);
    out.push(command);
    below = command;
    pending = [];
  });
  if (pending.length) throw new Error(`README line ${firstLine + start}: the command never ends`);
  return out;
}

function claim(expect: Expectation, comment: string, line: number): void {
  const status = /^(\d{3})(?:\s|$)/.exec(comment) ?? /^HTTP\/[\d.]+ (\d{3})\b/.exec(comment);
  if (status) {
    const code = Number(status[1]);
    if (expect.status !== undefined && expect.status !== code) {
      throw new Error(`README line ${line}: the comments claim both ${expect.status} and ${code}`);
    }
    expect.status = code;
    if (comment.startsWith("HTTP/")) {
      for (const part of comment.split(" · ").slice(1)) {
        const header = /^([A-Za-z0-9-]+): (.+)$/.exec(part.trim());
        if (header) expect.headers.push({ name: header[1]!, value: header[2]! });
      }
    }
    return;
  }
  if (/^[[{"]/.test(comment)) expect.output.push(comment);
}

/**
 * The comment at the end of the command's last line, if any: a `#` that starts a word outside
 * quotes (not `$#`, not `${#x}`), with heredoc bodies skipped.
 */
export function trailingComment(text: string): string | undefined {
  let heredoc: { delimiter: string; strip: boolean } | undefined;
  let quote: "'" | '"' | undefined;
  let last: string | undefined;
  for (const line of text.split("\n")) {
    if (heredoc) {
      if ((heredoc.strip ? line.replace(/^\t+/, "") : line) === heredoc.delimiter) heredoc = undefined;
      last = undefined;
      continue;
    }
    last = undefined;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quote === "'") {
        if (ch === "'") quote = undefined;
      } else if (ch === "\\") {
        i++;
      } else if (quote === '"') {
        if (ch === '"') quote = undefined;
      } else if (ch === "'" || ch === '"') {
        quote = ch;
      } else if (ch === "#" && (i === 0 || /\s/.test(line[i - 1]!))) {
        last = line.slice(i + 1).trim();
        break;
      }
    }
    const opener = quote ? null : /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line);
    if (opener) heredoc = { delimiter: opener[3]!, strip: opener[1] === "-" };
  }
  return last;
}

/** Whether `output` shows `pattern`, where `…` in the pattern stands for anything. */
export function shows(output: string, pattern: string): boolean {
  return toRegExp(pattern, "").test(output);
}

/** Whether a `curl -i` output carries the header, `…` in the value standing for anything. */
export function hasHeader(output: string, name: string, value: string): boolean {
  const header = new RegExp(`^${escapeRegExp(name)}:[ \\t]*${toRegExp(value, "").source}[ \\t]*\\r?$`, "im");
  return header.test(output);
}

function toRegExp(pattern: string, flags: string): RegExp {
  return new RegExp(pattern.split("…").map(escapeRegExp).join("[\\s\\S]*?"), flags);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
