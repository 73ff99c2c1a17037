import pino, { DestinationStream, LevelWithSilent } from 'pino';
import { isoTime } from './iso-time';

export type LineLevel = 'error' | 'warn' | 'info';

/** What one finished (or aborted) request's line says. */
export interface RequestLine {
  readonly req: { readonly id: string; readonly method?: string; readonly url?: string };
  /** `<type>/<id>` of the verified token's bearer, when there was one. */
  readonly bearer?: string;
  readonly actingPerson?: string;
  readonly audience?: readonly string[];
  readonly jti?: string;
  readonly errorId?: string;
  readonly statusCode: number;
  readonly responseTime: number;
  readonly msg: string;
}

const text = (value: string | undefined): string => JSON.stringify(value ?? '');

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
    if (line.bearer !== undefined) json += `,"bearer":${text(line.bearer)}`;
    if (line.actingPerson !== undefined) json += `,"acting_person":${text(line.actingPerson)}`;
    if (line.audience !== undefined) json += `,"audience":${JSON.stringify(line.audience)}`;
    if (line.jti !== undefined) json += `,"jti":${text(line.jti)}`;
    if (line.errorId !== undefined) json += `,"error_id":${text(line.errorId)}`;
    json += `,"res":{"statusCode":${line.statusCode}},"responseTime":${line.responseTime},"msg":${text(line.msg)}}\n`;
    this.stream.write(json);
  }
}
