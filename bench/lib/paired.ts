import type { ServerId } from './scenarios';

/**
 * `npm run bench -- --paired`: two scenarios loaded at the same time, each on its own server, and
 * then again with the servers swapped. Sequential slots a few seconds apart moved by up to 60 µs
 * per request on this VM (BENCHMARKS.md, fourth round) while the targets are a few µs: loaded at
 * once, both sides see the same state of the machine, and the swap cancels whatever one server
 * instance does differently from the other. The `aa` pair, the public twin against itself, shows
 * how finely the method resolves on the day.
 */
export interface Pair {
  readonly id: string;
  readonly label: string;
  /** Scenario ids: the reference and the one measured against it. */
  readonly reference: string;
  readonly measured: string;
  /** Slot 1 runs the reference on the first, the measured scenario on the second server. */
  readonly servers: readonly [ServerId, ServerId];
  /** Slot 2 swaps them. Without: both slots run as slot 1 (the servers differ in configuration). */
  readonly swap: boolean;
  readonly target: PairTarget | null;
}

export type PairTarget =
  /** The measured scenario costs at most `micros` of server CPU per request above the reference. */
  | { readonly kind: 'above'; readonly micros: number }
  /** The two cost the same server CPU per request within `share` (0.05: 5 %). */
  | { readonly kind: 'within'; readonly share: number };

export const PAIRS: readonly Pair[] = [
  {
    id: 'aa',
    label: 'public twin against itself (the method’s own noise)',
    reference: 'public',
    measured: 'public',
    servers: ['app', 'app-2'],
    swap: true,
    target: null,
  },
  {
    id: 'line',
    label: 'a request line: public twin at info − LOG_LEVEL=silent',
    reference: 'silent-public',
    measured: 'public',
    servers: ['app-silent', 'app'],
    swap: false,
    target: { kind: 'above', micros: 5 },
  },
  {
    id: 'warm',
    label: 'warm tokens (kid) above the public twin',
    reference: 'public',
    measured: 'warm',
    servers: ['app', 'app-2'],
    swap: true,
    target: { kind: 'above', micros: 2 },
  },
  {
    id: 'cold',
    label: 'cold tokens (kid) above the public twin',
    reference: 'public',
    measured: 'cold',
    servers: ['app', 'app-2'],
    swap: true,
    target: { kind: 'above', micros: 30 },
  },
  {
    id: 'kidless-warm',
    label: 'warm kid-less tokens against warm tokens with kid',
    reference: 'warm',
    measured: 'kidless-warm',
    servers: ['app', 'app-2'],
    swap: true,
    target: { kind: 'within', share: 0.05 },
  },
  {
    id: 'kidless-cold',
    label: 'cold kid-less tokens against cold tokens with kid',
    reference: 'cold',
    measured: 'kidless-cold',
    servers: ['app', 'app-2'],
    swap: true,
    target: { kind: 'within', share: 0.05 },
  },
];

/** Server CPU per request of each side in one slot of a pair. */
export interface PairedSlot {
  readonly reference: number;
  readonly measured: number;
}

export interface PairedRound {
  /** µs of server CPU per request, the measured side above the reference, both slots averaged. */
  readonly difference: number;
  /** The measured side's CPU per request over the reference's, both slots pooled. */
  readonly ratio: number;
}

/** One round of a pair from its two slots (swapped or repeated). */
export function pairedRound([first, second]: readonly [PairedSlot, PairedSlot]): PairedRound {
  return {
    difference: (first.measured - first.reference + (second.measured - second.reference)) / 2,
    ratio: (first.measured + second.measured) / (first.reference + second.reference),
  };
}

/** MET, MISSED or n/a (no target), for the medians over rounds. */
export function pairVerdict(target: PairTarget | null, round: PairedRound): string {
  if (target === null) return 'n/a';
  const met =
    target.kind === 'above'
      ? round.difference <= target.micros
      : Math.abs(round.ratio - 1) <= target.share;
  return met ? 'MET' : 'MISSED';
}

/** The target as a reader would say it. */
export function describeTarget(target: PairTarget | null): string {
  if (target === null) return 'none (control)';
  return target.kind === 'above'
    ? `≤ ${target.micros} µs above`
    : `within ${Math.round(target.share * 100)} %`;
}
