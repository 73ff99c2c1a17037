import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (error?: unknown) => void;

/**
 * Middleware that hands on the requests read in one turn of the event loop together, at that
 * turn's check phase (setImmediate), instead of each one as soon as its socket is read.
 *
 * Why: Node otherwise runs a request's whole path (Express, Nest's guards, pipes and handler, the
 * response) between reading one socket and the next, so each request finds the CPU's caches full
 * of other work. Handed on together, the requests run the same code one after the other and find
 * it cached. Measured in the production configuration under load (BENCHMARKS.md): about 30 % less
 * server CPU per request on the public and warm-token routes (new tokens already ran the rest of
 * their requests in the verification batch). A lone request waits only for the rest of the turn
 * that read it, which only reads other sockets.
 *
 * On by default (REQUEST_BATCHING=off turns it off). It was opt-in while glibc's heap stepped up in
 * the batched server's memory soaks; on jemalloc (bin/with-jemalloc) it held (BENCHMARKS.md).
 * Mounted after the request logger and the metrics middleware, so the durations they report
 * include that wait.
 */
export function requestBatch(): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  let queue: Next[] = [];
  const run = (): void => {
    const batch = queue;
    queue = [];
    for (const next of batch) {
      // Express catches what a route throws; this guards the rest of the batch all the same.
      try {
        next();
      } catch (error) {
        next(error);
      }
    }
  };
  return (_request, _response, next) => {
    queue.push(next);
    if (queue.length === 1) setImmediate(run);
  };
}
