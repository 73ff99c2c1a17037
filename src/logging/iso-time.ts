let second = Number.NaN;
let secondPrefix = '';

/**
 * pino's `"time"` field exactly as pino.stdTimeFunctions.isoTime writes it, with the date formatted
 * once per second instead of once per line: V8 formats a date through printf, several thousand
 * instructions that every request line paid (BENCHMARKS.md).
 */
export function isoTime(): string {
  const now = Date.now();
  const ms = now % 1000;
  if (now - ms !== second) {
    second = now - ms;
    // "2026-12-03T16:40:12.000Z" without its "000Z"; any year, even beyond 9999.
    secondPrefix = `,"time":"${new Date(second).toISOString().slice(0, -4)}`;
  }
  return `${secondPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}
