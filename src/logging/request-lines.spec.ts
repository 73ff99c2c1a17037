import pino, { LevelWithSilent } from 'pino';
import { RequestLine, RequestLines, tokenFragment } from './request-lines';

/** Captures what a RequestLines, and pino itself, write. */
function capture(level: LevelWithSilent = 'info') {
  const written: string[] = [];
  const sink = { write: (chunk: string) => void written.push(chunk) };
  return {
    written,
    lines: new RequestLines(level, sink),
    pino: pino({ level, base: { pid: process.pid } }, sink),
  };
}

const parsed = (line: string) => JSON.parse(line) as Record<string, unknown>;

describe('RequestLines', () => {
  const hostile = 'x"\\\n\u2028\u0000ü/"}{'; // quotes, escapes, a newline, unicode, a NUL

  const token = {
    bearer: `Organization/${hostile}`,
    actingPerson: hostile,
    audience: ['warehouse', `warehouse/${hostile}`],
    jti: hostile,
  };
  const line = (overrides: Partial<RequestLine> = {}): RequestLine => ({
    req: { id: 'req-1', method: 'GET', url: `/api/v1/items?q=${hostile}` },
    token: tokenFragment(token),
    errorId: 'err-1',
    statusCode: 200,
    responseTime: 3,
    msg: 'request completed',
    ...overrides,
  });

  it('writes one JSON line with the fields pino writes for the same object, hostile strings intact', () => {
    const { written, lines, pino: logger } = capture();
    const fields = line();
    lines.write('info', fields);
    logger.info(
      {
        req: fields.req,
        bearer: token.bearer,
        acting_person: token.actingPerson,
        audience: token.audience,
        jti: token.jti,
        error_id: fields.errorId,
        res: { statusCode: 200 },
        responseTime: 3,
      },
      'request completed',
    );
    expect(written).toHaveLength(2);
    expect(written[0].endsWith('}\n')).toBe(true);
    expect(written[0].slice(0, -1)).not.toContain('\n');
    const ours = parsed(written[0]);
    const theirs = parsed(written[1]);
    expect(typeof ours.time).toBe('string');
    expect(Date.parse(ours.time as string)).not.toBeNaN();
    expect({ ...ours, time: 0 }).toEqual({ ...theirs, time: 0 });
    expect(ours.jti).toBe(hostile);
  });

  it('leaves out what a request without a token or error does not have', () => {
    const { written, lines } = capture();
    lines.write('warn', {
      req: { id: 'req-2', method: 'POST', url: '/x' },
      statusCode: 503,
      responseTime: 0,
      msg: 'request completed',
    });
    expect(Object.keys(parsed(written[0]))).toEqual([
      'level',
      'time',
      'pid',
      'req',
      'res',
      'responseTime',
      'msg',
    ]);
    expect(parsed(written[0]).level).toBe(40);
  });

  it('writes nothing below its level, and nothing at all when silent', () => {
    const warn = capture('warn');
    expect([warn.lines.enabled('info'), warn.lines.enabled('warn')]).toEqual([false, true]);
    warn.lines.write('info', line());
    warn.lines.write('error', line({ statusCode: 500, msg: 'request errored' }));
    expect(warn.written.map((text) => parsed(text).level)).toEqual([50]);

    const silent = capture('silent');
    silent.lines.write('error', line());
    expect([silent.lines.enabled('error'), silent.written]).toEqual([false, []]);
  });
});
