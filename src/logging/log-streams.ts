import type { DestinationStream } from 'pino';
import pino from 'pino';
import pretty from 'pino-pretty';

/** Bounds what waits in memory when stdout stalls; beyond it lines are dropped and counted. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface ProductionLogStream {
  readonly stream: DestinationStream;
  /** Lines dropped because stdout did not keep up with MAX_BUFFERED_BYTES waiting. */
  dropped(): number;
}

/**
 * stdout for production: JSON lines gathered in memory and written 4 KB at a time off the event
 * loop (pino's asynchronous destination), at least every 100 ms, and synchronously on exit, so a
 * request line costs the event loop no write(2) of its own (BENCHMARKS.md). A SIGKILL loses at
 * most the last 100 ms; a stalled reader costs at most 16 MB, then lines are dropped (and counted)
 * rather than the server blocking or growing without bound.
 */
export function productionLogStream(): ProductionLogStream {
  const stream = pino.destination({
    dest: 1,
    sync: false,
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
  return { stream, dropped: () => dropped };
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
