// One bash session, as a reader's terminal: variables, the working directory and background jobs
// carry from one command to the next. Every curl goes through a shim that records the status of
// the reply it got, so a command's claimed status can be checked whatever it prints.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DONE = "__README_TEST_DONE__";

export interface Outcome {
  output: string;
  exitCode: number | null;
  /** The status of each HTTP reply curl got, in order; 0 when a curl got none. */
  statuses: number[];
  timedOut: boolean;
}

// The real curl with `-D` first, so a README command's own options still win; a README command
// must not pass -D itself (its status could not be recorded).
const CURL_SHIM = `#!/usr/bin/env bash
headers=$(mktemp)
"$README_TEST_REAL_CURL" -D "$headers" "$@"
rc=$?
status=$(grep -aoE '^HTTP/[0-9.]+ [0-9]{3}' "$headers" | tail -n 1 | cut -d' ' -f2)
echo "\${status:-000}" >> "$README_TEST_CURL_LOG"
rm -f "$headers"
exit $rc
`;

export class ShellSession {
  private buffer = "";
  private seen = 0;
  private count = 0;
  private waiter: (() => void) | undefined;

  private constructor(
    private readonly bash: ChildProcess,
    private readonly dir: string,
    private readonly curlLog: string,
  ) {
    bash.stdout!.on("data", (b: Buffer) => {
      this.buffer += b.toString();
      this.waiter?.();
    });
    bash.on("exit", () => this.waiter?.());
  }

  /** A session whose working directory is `cwd`; `dir` holds the shim and the command files. */
  static start(cwd: string, dir: string): ShellSession {
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "curl"), CURL_SHIM);
    chmodSync(join(bin, "curl"), 0o755);
    const curlLog = join(dir, "curl-statuses");
    writeFileSync(curlLog, "");
    const realCurl = execFileSync("bash", ["-c", "command -v curl"], { encoding: "utf8" }).trim();
    const bash = spawn("bash", ["--noprofile", "--norc"], {
      cwd,
      // Its own process group: close() ends background jobs a block started (a local service).
      detached: true,
      stdio: ["pipe", "pipe", "ignore"],
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        README_TEST_REAL_CURL: realCurl,
        README_TEST_CURL_LOG: curlLog,
      },
    });
    bash.stdin!.write("exec 2>&1\n");
    return new ShellSession(bash, dir, curlLog);
  }

  /** Runs one command as if pasted, with no terminal input; resolves when it ends or times out. */
  async run(command: string, timeoutMs: number): Promise<Outcome> {
    const file = join(this.dir, `command-${++this.count}.sh`);
    writeFileSync(file, `${command}\n`);
    const from = this.buffer.length;
    this.bash.stdin!.write(`source ${JSON.stringify(file)} </dev/null; printf '\\n${DONE} %s\\n' "$?"\n`);
    const done = new RegExp(`\\n${DONE} (\\d+)\\n`);
    const deadline = Date.now() + timeoutMs;
    let match = done.exec(this.buffer.slice(from));
    while (!match && this.bash.exitCode === null) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      match = done.exec(this.buffer.slice(from));
    }
    this.waiter = undefined;
    const text = this.buffer.slice(from);
    const output = match ? text.slice(0, match.index) : text;
    return {
      output,
      exitCode: match ? Number(match[1]) : null,
      statuses: this.newStatuses(),
      timedOut: match === null && this.bash.exitCode === null,
    };
  }

  private newStatuses(): number[] {
    const all = readFileSync(this.curlLog, "utf8").split("\n").filter(Boolean).map(Number);
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    return fresh;
  }

  /** Ends the shell and everything it started (its process group). */
  async close(): Promise<void> {
    const pid = this.bash.pid;
    if (pid === undefined) return;
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      try {
        process.kill(-pid, signal);
      } catch {
        return; // the group is gone
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
