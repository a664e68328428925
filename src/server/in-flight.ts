// Counts work that must finish before the process may exit (tool calls, HTTP exchanges), so a
// graceful shutdown can wait for it.
export interface InFlight {
  /** Marks one piece of work as started; call the returned function once it is done. */
  begin(): () => void;
  readonly count: number;
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
}

export function createInFlight(): InFlight {
  let count = 0;
  let waiters: (() => void)[] = [];
  return {
    begin() {
      count += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        count -= 1;
        if (count > 0) return;
        const wake = waiters;
        waiters = [];
        for (const waiter of wake) waiter();
      };
    },
    get count() {
      return count;
    },
    idle() {
      if (count === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
