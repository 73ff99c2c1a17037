import type { DestinationStream } from 'pino';
import pino from 'pino';
import pretty from 'pino-pretty';

/** Bounds what waits in memory when stdout stalls; beyond it lines are dropped and counted. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** About a dozen request lines: one write(2) for each batch of this many characters. */
const BATCH_LENGTH = 4096;
const FLUSH_EVERY_MS = 100;

/** pino's own destination (sonic-boom). */
type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * Gathers lines into one string and hands sonic-boom (pino's destination) a whole batch at once.
 * sonic-boom's own `minLength` batching measures the UTF-8 length of everything it holds on every
 * write, so each line cost a pass over up to 4 KB (BENCHMARKS.md); here a line costs one append,
 * and sonic-boom keeps doing what it is good at: complete writes, retries, the memory bound.
 */
class LineBatcher implements DestinationStream {
  private pending = '';

  constructor(private readonly target: SonicBoom) {}

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= BATCH_LENGTH) this.handOver();
  }

  /** What pino's logger.flush() calls. */
  flush(callback?: (error?: Error) => void): void {
    this.handOver();
    if (callback) this.target.flush(callback);
  }

  flushSync(): void {
    this.handOver();
    this.target.flushSync();
  }

  handOver(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = '';
    this.target.write(batch);
  }
}

/**
 * stdout for production: JSON lines gathered in memory and written 4 KB at a time (about a dozen
 * request lines per write(2) instead of one each), at least every 100 ms, and on exit, so a SIGKILL
 * loses at most the last 100 ms. The writes stay synchronous: with pino's thread-pool writes, the
 * exit flush could overtake a write still in flight and reorder the last lines. A stalled reader
 * costs at most 16 MB, then lines are dropped (and counted) rather than memory growing unbounded.
 */
export function productionLogStream(): DestinationStream {
  const target = pino.destination({ dest: 1, sync: true, maxLength: MAX_BUFFERED_BYTES });
  const stream = new LineBatcher(target);
  setInterval(() => stream.handOver(), FLUSH_EVERY_MS).unref();
  let dropped = 0;
  target.on('drop', () => {
    dropped += 1;
  });
  process.once('exit', () => {
    try {
      stream.flushSync();
      if (dropped > 0)
        process.stderr.write(`${dropped} log batches dropped: stdout did not keep up\n`);
    } catch {
      // stdout is gone (EPIPE) or full: nothing left to tell anyone.
    }
  });
  return stream;
}

/**
 * Readable, coloured lines for a person at a terminal (`npm start`, development only), written
 * synchronously so they keep their order with what main.ts prints itself. `destination`: a file
 * descriptor or path (stdout unless given).
 */
export function prettyLogStream(destination: number | string = 1): DestinationStream {
  return pretty({
    destination,
    colorize: true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  });
}
