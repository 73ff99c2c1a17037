import { Logger } from '@nestjs/common';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Bounds a graceful shutdown. Nest's shutdown hooks drain the HTTP server and close every module
 * on SIGTERM/SIGINT, but a client holding a request open (a body that never ends) or a stuck
 * dependency would keep the process alive until the supervisor kills it without a word. After
 * the deadline this logs what happened and exits with code 1. The timer is unref'd: a shutdown
 * that finishes in time exits as usual.
 */
export function armShutdownDeadline(
  timeoutSeconds: number,
  logger = new Logger('Shutdown'),
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const start = (signal: string): void => {
    for (const other of SIGNALS) process.off(other, start);
    const timer = setTimeout(() => {
      logger.error(`Shutdown after ${signal} did not finish within ${timeoutSeconds} s; exiting`);
      exit(1);
    }, timeoutSeconds * 1000);
    timer.unref();
  };
  for (const signal of SIGNALS) process.once(signal, start);
}
