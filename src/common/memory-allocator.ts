import { readFileSync } from 'node:fs';

/**
 * Which malloc a process runs on ('self': this one): `npm run start:prod` preloads
 * jemalloc through bin/with-jemalloc when the machine has it. Told at start-up, so an operator can
 * see whether the memory figures of BENCHMARKS.md apply.
 */
export function memoryAllocator(pid: number | 'self'): string {
  let maps: string | null;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    maps = null;
  }
  return allocatorIn(maps);
}

/** The allocator named by a /proc/<pid>/maps listing; null where there is none (macOS). */
export function allocatorIn(maps: string | null): string {
  if (maps === null) return 'unknown (no /proc/<pid>/maps)';
  const library = /\s(\/\S*libjemalloc[^/\s]*)$/m.exec(maps)?.[1];
  return library ? `jemalloc (${library})` : "the system's malloc";
}
