import pino from 'pino';
import { isoTime } from './iso-time';

describe('isoTime', () => {
  afterEach(() => jest.useRealTimers());

  it('writes what pino.stdTimeFunctions.isoTime writes, across milliseconds, seconds and years', () => {
    jest.useFakeTimers();
    const instants = [
      Date.UTC(2026, 11, 3, 16, 40, 12, 0),
      Date.UTC(2026, 11, 3, 16, 40, 12, 7),
      Date.UTC(2026, 11, 3, 16, 40, 12, 42),
      Date.UTC(2026, 11, 3, 16, 40, 12, 999),
      Date.UTC(2026, 11, 3, 16, 40, 13, 5),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 1),
      // The same second again after others: the cached prefix must not be stale.
      Date.UTC(2026, 11, 3, 16, 40, 12, 500),
      Date.UTC(12345, 0, 1, 0, 0, 0, 50),
    ];
    for (const instant of instants) {
      jest.setSystemTime(instant);
      expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    }
  });
});
