// With REQUEST_BATCHING=on (the default) the requests read in the same turn of the event loop are
// handed on together (requestBatch); with or without it, each must get its own answer, whatever the
// others in flight carry.
import { get, IncomingHttpHeaders } from 'node:http';
import { useHubAndApp } from './support/app';
import { tokens } from './support/tokens';

type Kind = 'new token' | 'known token' | 'forged token' | 'no token' | 'public';

describe.each([
  ['REQUEST_BATCHING=on (the default)', true],
  ['REQUEST_BATCHING=off', false],
])('concurrent requests, %s (e2e)', (_name, requestBatching) => {
  const ctx = useHubAndApp({ config: { requestBatching } });
  it('answers every request of a simultaneous burst with its own result', async () => {
    const known = tokens(ctx.hub).organization('org-known').mint();
    expect((await ctx.server.get('/api/v1/token', known)).status).toBe(200);
    const kinds: Kind[] = ['new token', 'known token', 'forged token', 'no token', 'public'];
    const burst = Array.from({ length: 60 }, (_, index) => {
      const kind = kinds[index % kinds.length];
      const org = `org-${index}`;
      const token =
        kind === 'new token'
          ? tokens(ctx.hub).organization(org).mint()
          : kind === 'known token'
            ? known
            : kind === 'forged token'
              ? `${tokens(ctx.hub).organization(org).mint().slice(0, -4)}AAAA`
              : undefined;
      return { kind, org, id: `burst-${index}`, token };
    });

    const answers = await Promise.all(
      burst.map(async ({ id, token, kind }) => {
        const response = await fetchOnOwnConnection(
          `${ctx.server.url}${kind === 'public' ? '/health' : '/api/v1/token'}`,
          {
            'x-request-id': id,
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          },
        );
        return { ...response, requestId: response.headers['x-request-id'] };
      }),
    );

    burst.forEach(({ kind, org, id }, index) => {
      const answer = answers[index];
      expect(answer.requestId).toBe(id);
      if (kind === 'new token') {
        expect(answer).toMatchObject({ status: 200, body: { bearer: { id: org } } });
      } else if (kind === 'known token') {
        expect(answer).toMatchObject({ status: 200, body: { bearer: { id: 'org-known' } } });
      } else if (kind === 'public') {
        expect(answer.status).toBe(200);
      } else {
        expect(answer.status).toBe(401);
        expect((answer.body.errors as unknown[])[0]).toBe(
          kind === 'no token' ? 'no_jwt_passed' : 'invalid_jwt',
        );
      }
    });
  });
});

interface Answer {
  readonly status: number | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A GET on a connection of its own (no agent), so a burst reaches the server at once. */
function fetchOnOwnConnection(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          const body = JSON.parse(text) as Record<string, unknown>;
          resolve({ status: response.statusCode, headers: response.headers, body });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.on('error', reject);
    }).on('error', reject);
  });
}
