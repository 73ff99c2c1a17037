/**
 * A minimal FIFO mutex. PGlite is one Postgres session, so whoever holds it owns that session:
 * queries of others must wait, or they would run inside someone else's open transaction.
 */
export class Mutex {
  // Resolves when the current holder releases; each acquirer chains onto the previous one.
  #tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; call the returned function exactly once to release it. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => released);
    await previous;
    let done = false;
    return () => {
      // Idempotent so that a double release cannot unlock someone else's turn.
      if (done) return;
      done = true;
      release();
    };
  }
}
