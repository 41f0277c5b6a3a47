// The README's shell blocks, in order, with the directives written just above them.
//
// A fenced block whose info string is sh, bash or shell is a shell block (indented fences inside
// list items count too, with the indentation removed). The nearest non-blank line above the fence
// may be a directive, invisible in the rendered README:
//   <!-- readme-test: skip: <reason> -->   not run (it needs a Cloudflare account, or starts the
//                                           server the test provides)
//   <!-- readme-test: restart -->          restart the dev server first (it read .dev.vars at start)

export interface ShellBlock {
  /** 1-based line of the block's first content line. */
  line: number;
  /** The nearest heading above the block, for messages. */
  heading: string;
  text: string;
  /** Why the block is not run, when it is not. */
  skip?: string;
  restart: boolean;
}

const FENCE = /^( *)(```+|~~~+)\s*([\w-]*)/;
const DIRECTIVE = /^\s*<!--\s*readme-test:\s*(.*?)\s*-->\s*$/;
const SHELL = new Set(["sh", "bash", "shell"]);

export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split("\n");
  const blocks: ShellBlock[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, "");
    const open = FENCE.exec(line);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const closing = new RegExp(`^ *\\${fence[0]}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (closing.test(lines[j]!)) break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!.trimStart());
    }
    if (SHELL.has(info)) {
      const directive = directiveAbove(lines, i);
      blocks.push({
        line: i + 2,
        heading,
        text: body.join("\n"),
        restart: directive === "restart",
        ...(directive?.startsWith("skip") ? { skip: skipReason(directive, i + 1) } : {}),
      });
      if (directive !== undefined && directive !== "restart" && !directive.startsWith("skip")) {
        throw new Error(`README line ${i}: unknown readme-test directive "${directive}"`);
      }
    }
    i = j;
  }
  return blocks;
}

function directiveAbove(lines: string[], fenceIndex: number): string | undefined {
  for (let k = fenceIndex - 1; k >= 0; k--) {
    if (lines[k]!.trim() === "") continue;
    return DIRECTIVE.exec(lines[k]!)?.[1];
  }
  return undefined;
}

function skipReason(directive: string, fenceLine: number): string {
  const reason = /^skip:\s*(.+)$/.exec(directive)?.[1];
  if (!reason) throw new Error(`README line ${fenceLine}: a skip directive must say why ("skip: <reason>")`);
  return reason;
}
