// The cap on HTTP sessions (--max-sessions), shared by Streamable HTTP and legacy SSE: each
// session holds a server, its state and buffers, so their number must not grow without bound.

export class SessionSlots {
  readonly #max: number;
  #used = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get max(): number {
    return this.#max;
  }

  /** A release function for a new session, or undefined when every slot is taken. */
  take(): (() => void) | undefined {
    if (this.#used >= this.#max) return undefined;
    this.#used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used--;
    };
  }
}
