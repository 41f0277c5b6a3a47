// Colours and type sizes of the diagram. Outcome colours follow the Step Functions console's
// convention (green, red, orange, blue, grey) so they read the same to someone who knows it; each
// outcome is also written on the node, so the diagram does not rely on colour alone.

export type StateRunStatus = "succeeded" | "failed" | "caught" | "in_progress" | "not_reached";

export interface Swatch {
  fill: string;
  stroke: string;
  text: string;
  label: string;
}

export const STATUS_ORDER: readonly StateRunStatus[] = [
  "succeeded",
  "failed",
  "caught",
  "in_progress",
  "not_reached",
];

export const STATUS_PALETTE: Record<StateRunStatus, Swatch> = {
  succeeded: { fill: "#e6f4ea", stroke: "#1e8e3e", text: "#0d652d", label: "Succeeded" },
  failed: { fill: "#fce8e6", stroke: "#d93025", text: "#a50e0e", label: "Failed" },
  caught: { fill: "#fef3e0", stroke: "#e37400", text: "#8a4500", label: "Caught error" },
  in_progress: { fill: "#e8f0fe", stroke: "#1a73e8", text: "#174ea6", label: "In progress" },
  not_reached: { fill: "#f8f9fa", stroke: "#bdc1c6", text: "#5f6368", label: "Not reached" },
};

/** The outcome as written after the state's type; the longest one sizes every box, so a node keeps
 * its size (and the diagram its layout) from one execution to the next. */
export const statusText = (status: StateRunStatus): string => STATUS_PALETTE[status].label.toLowerCase();
export const LONGEST_STATUS_TEXT = STATUS_ORDER.map(statusText).reduce((a, b) =>
  b.length > a.length ? b : a,
);

/** A state drawn without execution status. */
export const NEUTRAL: Swatch = { fill: "#ffffff", stroke: "#5f6368", text: "#202124", label: "" };

export const INK = "#202124";
export const MUTED = "#5f6368";
export const EDGE_COLOUR = "#5f6368";
export const CATCH_COLOUR = "#c5221f";
export const MISSING_COLOUR = "#d93025";
export const GROUP_FILL = "#f1f3f4";
export const GROUP_STROKE = "#9aa0a6";

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
/** State names. */
export const NAME_FONT = 14;
/** State types, edge labels, group labels, legend: the smallest text, still readable at 100 %. */
export const SMALL_FONT = 12;
export const TITLE_FONT = 16;
