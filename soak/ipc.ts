/** Messages between the soak driver (parent) and the server child process. */
export type ToServer = { type: 'memory' } | { type: 'stop' };

export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'memory'; rss: number; heapUsed: number }
  | { type: 'failed'; error: string };
