import type * as PGliteModule from '@electric-sql/pglite';

/**
 * PGlite, loaded through Node's own CommonJS loader rather than a plain import.
 *
 * PGlite's CommonJS build loads Node built-ins and its WASM with dynamic import(). Jest runs code
 * in a vm sandbox where import() throws unless node runs with --experimental-vm-modules
 * (electric-sql/pglite#224), and jest's `require('node:module')` is a sandboxed stand-in.
 * process.getBuiltinModule returns the real `module` built-in, so this works in the app, in unit
 * specs and in e2e specs alike; outside jest it is exactly a plain require.
 * Under jest, PGlite's objects then come from the outer realm: compare Dates with toEqual, not
 * toBeInstanceOf(Date).
 */
const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);

export const { PGlite } = nodeRequire('@electric-sql/pglite') as typeof PGliteModule;
export type PGlite = PGliteModule.PGlite;
