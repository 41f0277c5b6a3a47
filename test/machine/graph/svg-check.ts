// A tiny XML well-formedness check for the rendered SVG (workerd has no DOMParser): balanced tags,
// quoted attributes, and only the five predefined entities or numeric references in text.

const TOKEN =
  /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g;

/** Returns a problem description, or undefined when the document is well-formed. */
export function wellFormedProblem(svg: string): string | undefined {
  const stack: string[] = [];
  let roots = 0;
  for (const match of svg.matchAll(TOKEN)) {
    const [token, closing, name, , selfClosing] = match;
    if (name === undefined) return `stray ${JSON.stringify(token)} at ${match.index}`;
    if (closing === "/") {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open}> at ${match.index}`;
    } else if (selfClosing !== "/") {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
  }
  if (stack.length > 0) return `unclosed <${stack.join("> <")}>`;
  if (roots !== 1) return `${roots} root elements`;
  return undefined;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box of each top-level state (`<g class="state" data-state=…><title>…</title><rect …>`). */
export function stateRects(svg: string): Map<string, Rect> {
  const rects = new Map<string, Rect>();
  const pattern =
    /<g class="state[^"]*" data-state="([^"]*)"[^>]*><title>[^<]*<\/title><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g;
  for (const [, key, x, y, width, height] of svg.matchAll(pattern)) {
    rects.set(key ?? "", { x: Number(x), y: Number(y), width: Number(width), height: Number(height) });
  }
  return rects;
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function viewBox(svg: string): { width: number; height: number } {
  const match = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
}
