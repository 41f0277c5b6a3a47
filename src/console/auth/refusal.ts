/** A console request refused for a reason the visitor can read; the console's onError renders it. */
export class ConsoleRefusal extends Error {
  override name = "ConsoleRefusal";
  constructor(
    readonly status: 400 | 401 | 403 | 413 | 415,
    readonly reason: string,
  ) {
    super(reason);
  }
}
