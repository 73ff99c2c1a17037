import { Injectable } from '@nestjs/common';

/**
 * Lets the write side wake this instance's dispatcher as soon as an event commits, so it need
 * not wait for its next poll; other instances find the event when they poll. A notice given
 * while the dispatcher was busy is kept for its next wait.
 */
@Injectable()
export class OutboxSignal {
  private waiters: (() => void)[] = [];
  private noticed = false;

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.noticed = waiters.length === 0;
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify() (at once if one came since the last wait), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.noticed) {
      this.noticed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }
}
