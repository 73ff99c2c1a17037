import pino, { DestinationStream, LevelWithSilent } from 'pino';
import { isoTime } from './iso-time';

export type LineLevel = 'error' | 'warn' | 'info';

/** What a request line says about the verified token, when there was one. */
export interface TokenFields {
  /** `<type>/<id>` of the token's bearer. */
  readonly bearer: string;
  readonly actingPerson?: string;
  readonly audience: readonly string[];
  readonly jti?: string;
}

/** TokenFields as they stand in the line's JSON, made by tokenFragment. */
export type TokenFragment = string & { readonly __tokenFragment: true };

/** What one finished (or aborted) request's line says. */
export interface RequestLine {
  readonly req: { readonly id: string; readonly method?: string; readonly url?: string };
  readonly token?: TokenFragment;
  readonly errorId?: string;
  readonly statusCode: number;
  readonly responseTime: number;
  readonly msg: string;
}

const text = (value: string | undefined): string => JSON.stringify(value ?? '');

/**
 * The token's part of a request line (`,"bearer":…,"audience":[…]…`). A token is used for many
 * requests, so the request logger makes this once per verified token and reuses it.
 */
export function tokenFragment(fields: TokenFields): TokenFragment {
  let json = `,"bearer":${text(fields.bearer)}`;
  if (fields.actingPerson !== undefined) json += `,"acting_person":${text(fields.actingPerson)}`;
  json += `,"audience":${JSON.stringify(fields.audience)}`;
  if (fields.jti !== undefined) json += `,"jti":${text(fields.jti)}`;
  return json as TokenFragment;
}

/**
 * The one line per request, written straight into the log stream in the shape pino gives every
 * other line (`level`, `time`, `pid`, then the fields, then `msg`). Building it from one template,
 * with JSON.stringify only on the strings a client or token chose, costs a fraction of pino's
 * generic serialiser on the hottest line the server writes (BENCHMARKS.md). The line carries no
 * headers, so pino's redaction has nothing to do for it.
 */
export class RequestLines {
  private readonly threshold: number;
  private readonly pid = process.pid;

  constructor(
    level: LevelWithSilent,
    private readonly stream: DestinationStream,
  ) {
    this.threshold = level === 'silent' ? Infinity : pino.levels.values[level];
  }

  enabled(level: LineLevel): boolean {
    return pino.levels.values[level] >= this.threshold;
  }

  write(level: LineLevel, line: RequestLine): void {
    if (!this.enabled(level)) return;
    const { req } = line;
    // The request id is one of ours or passed /^[A-Za-z0-9._:-]{1,128}$/: nothing to escape.
    let json = `{"level":${pino.levels.values[level]}${isoTime()},"pid":${this.pid},"req":{"id":"${req.id}","method":${text(req.method)},"url":${text(req.url)}}`;
    if (line.token !== undefined) json += line.token;
    if (line.errorId !== undefined) json += `,"error_id":${text(line.errorId)}`;
    json += `,"res":{"statusCode":${line.statusCode}},"responseTime":${line.responseTime},"msg":${text(line.msg)}}\n`;
    this.stream.write(json);
  }
}
