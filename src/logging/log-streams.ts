import type { DestinationStream } from 'pino';
import pino from 'pino';
import pretty from 'pino-pretty';

/** Bounds what waits in memory when stdout stalls; beyond it lines are dropped and counted. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * stdout for production: JSON lines gathered in memory and written 4 KB at a time (about a dozen
 * request lines per write(2) instead of one each), at least every 100 ms, and on exit, so a SIGKILL
 * loses at most the last 100 ms. The writes stay synchronous: with pino's thread-pool writes, the
 * exit flush could overtake a write still in flight and reorder the last lines. A stalled reader
 * costs at most 16 MB, then lines are dropped (and counted) rather than memory growing unbounded.
 */
export function productionLogStream(): DestinationStream {
  const stream = pino.destination({
    dest: 1,
    sync: true,
    minLength: 4096,
    maxLength: MAX_BUFFERED_BYTES,
    periodicFlush: 100,
  });
  let dropped = 0;
  stream.on('drop', () => {
    dropped += 1;
  });
  process.once('exit', () => {
    try {
      stream.flushSync();
      if (dropped > 0)
        process.stderr.write(`${dropped} log lines dropped: stdout did not keep up\n`);
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
