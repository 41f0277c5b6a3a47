// The plain shapes layout and edge routing share.

export interface Point {
  x: number;
  y: number;
}

/** A box in its scope's coordinates (top-left corner). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
