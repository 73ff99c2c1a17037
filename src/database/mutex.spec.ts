// Covers the FIFO mutex that serialises access to the single PGlite session.
import { Mutex } from './mutex';

describe('Mutex', () => {
  it('hands the lock out one holder at a time, in request order', async () => {
    const mutex = new Mutex();
    const order: string[] = [];
    const hold = async (name: string, ms: number) => {
      const release = await mutex.acquire();
      order.push(`${name}:in`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}:out`);
      release();
    };
    await Promise.all([hold('a', 20), hold('b', 0), hold('c', 0)]);
    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out']);
  });

  it('ignores a second release of the same turn', async () => {
    const mutex = new Mutex();
    const first = await mutex.acquire();
    first();
    const second = await mutex.acquire();
    first(); // must not unlock the second holder's turn
    let thirdAcquired = false;
    const third = mutex.acquire().then((release) => {
      thirdAcquired = true;
      release();
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(thirdAcquired).toBe(false);
    second();
    await third;
    expect(thirdAcquired).toBe(true);
  });
});
