// The console's static files, served by the Worker from string modules: no build step, no CDN,
// and no inline <script>/<style>, so the app's CSP (script-src 'self'; style-src 'self') holds.
import type { Hono } from "hono";
import type { ConsoleEnv } from "../console-env";
import { APP_CSS } from "./app-css";
import { APP_JS } from "./app-js";
import { ICON_SVG } from "./icon-svg";

const FILES: Record<string, { body: string; type: string }> = {
  "app.css": { body: APP_CSS, type: "text/css; charset=utf-8" },
  "app.js": { body: APP_JS, type: "text/javascript; charset=utf-8" },
  "icon.svg": { body: ICON_SVG, type: "image/svg+xml" },
};

/** Changes whenever a file does, so pages can let browsers cache `?v=` URLs for a long time. */
export const ASSET_VERSION = fnv1a(
  Object.values(FILES)
    .map((f) => f.body)
    .join("\0"),
);

export function assetRoutes(web: Hono<ConsoleEnv>) {
  web.get("/console/assets/:file", (c) => {
    const file = Object.hasOwn(FILES, c.req.param("file")) ? FILES[c.req.param("file")] : undefined;
    if (!file) return c.text("Not Found", 404);
    const versioned = c.req.query("v") === ASSET_VERSION;
    return c.body(file.body, 200, {
      "Content-Type": file.type,
      "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
    });
  });
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
