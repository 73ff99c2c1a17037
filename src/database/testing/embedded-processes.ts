import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the embedded database processes serving `dataDir` (found by their command line). */
export function embeddedDatabasePids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((arg) => arg.includes('embedded-database.main')) && argv.includes(dataDir)) {
        pids.push(Number(entry));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
