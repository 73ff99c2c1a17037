/** What the embedded database's process reports to the app over the IPC channel. */
export type EmbeddedReport = { type: 'ready' } | { type: 'failed'; message: string };

/** pg connects to `<host>/.s.PGSQL.<port>`: the socket sits in the data directory. */
export const EMBEDDED_SOCKET_PORT = 5432;
export const EMBEDDED_SOCKET_NAME = `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`;
/** The user and database PGlite's cluster is created with. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_DATABASE = 'postgres';
