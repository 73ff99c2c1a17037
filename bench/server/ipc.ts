/** Messages between a driver (the bench, the soak) and its server child process. */
export type ToServer = { type: 'memory'; gc: boolean } | { type: 'stop' };

export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'memory'; usage: NodeJS.MemoryUsage }
  | { type: 'failed'; error: string };

/**
 * Our app; the stock recipe as a bare Nest app; the stock recipe inside our app; the bare
 * node:http + pg twin of the items route.
 */
export const SERVER_KINDS = ['app', 'baseline', 'stock-in-app', 'items-twin'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];
