import { describe, expect, it } from "vitest";
import { buildGraph, renderDiagram } from "../../../src/machine/graph/index.ts";
import { wellFormedProblem } from "./svg-check.ts";

const hostile = `<script>alert("x")</script> & 'Tom's' "quote"`;

describe("escaping user text in the SVG", () => {
  const definition = {
    StartAt: hostile,
    States: {
      [hostile]: {
        Type: "Choice",
        Choices: [{ Variable: "$.a<b>", StringEquals: `"&<>'`, Next: "ctl\u0001\u0008name\uFFFE" }],
        Default: "]]><x/>",
      },
      "ctl\u0001\u0008name\uFFFE": {
        Type: "Task",
        Resource: "x",
        End: true,
        Catch: [{ ErrorEquals: ["<E&>"], Next: "]]><x/>" }],
      },
      "]]><x/>": { Type: "Pass", End: true },
    },
  };
  const svg = renderDiagram(definition, { title: "<title>&", status: { [hostile]: "succeeded" } });

  it("keeps the document well-formed", () => {
    expect(wellFormedProblem(svg)).toBeUndefined();
  });

  it("never lets a name open a tag", () => {
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<x/>");
    expect(svg).not.toContain("<E&");
    expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Tom&#39;s&#39;");
    expect(svg).toContain("&lt;title&gt;&amp;");
  });

  it("escapes names inside attributes too", () => {
    expect(svg).toContain(`data-state="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;`);
  });

  it("replaces characters XML cannot carry", () => {
    for (const ch of ["\u0001", "\u0008", "\uFFFE"]) expect(svg).not.toContain(ch);
    expect(svg).toContain("ctl\uFFFD\uFFFDname\uFFFD");
  });

  it("still finds the hostile names as states", () => {
    const names = buildGraph(definition).nodes.flatMap((n) => (n.kind === "state" ? [n.name] : []));
    expect(names).toContain(hostile);
    expect(svg).toMatch(/data-status="succeeded"/);
  });
});
