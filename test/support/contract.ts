// The switch that holds every e2e answer to the served API document (jest.config: setupFilesAfterEnv).
import type { OpenAPIObject } from '@nestjs/swagger';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiContract, Exchange } from '../../src/testing/api-contract';
import '../../src/testing/api-contract-matcher';

/** Bodies beyond this are not kept (no API answer comes near it; Swagger UI's bundle does). */
const KEPT_BODY_BYTES = 1 << 20;

interface Recorded {
  readonly contract: ApiContract;
  readonly exchange: Exchange;
}

let recorded: Recorded[] = [];

/**
 * Records every answer `server` sends, whoever asked (fetch, raw sockets, a browser), as it is
 * written: status, headers and body. expectRecordedAnswersHoldContract() checks them against
 * `document`, the one the server serves at /docs/api.json.
 */
export function holdToContract(server: Server, document: OpenAPIObject): void {
  const contract = new ApiContract(document);
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    recordAnswer(contract, request, response);
  });
}

/** Fetches the document `url` serves and holds `server` to it. */
export async function holdToServedContract(server: Server, url: string): Promise<void> {
  const response = await fetch(`${url}/docs/api.json`);
  if (response.status !== 200) throw new Error(`${url}/docs/api.json answered ${response.status}`);
  holdToContract(server, (await response.json()) as OpenAPIObject);
}

/** Checks and forgets what was recorded since the last call. */
export function expectRecordedAnswersHoldContract(): void {
  const checking = recorded;
  recorded = [];
  for (const { contract, exchange } of checking) {
    expect(exchange).toSatisfyApiContract(contract);
  }
}

function recordAnswer(
  contract: ApiContract,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding: unknown): void => {
    let bytes: Buffer;
    if (typeof chunk === 'string') {
      bytes = Buffer.from(
        chunk,
        typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
      );
    } else if (chunk instanceof Uint8Array) {
      bytes = Buffer.from(chunk);
    } else {
      return; // no chunk (end() alone) or a callback in its place
    }
    if (size < KEPT_BODY_BYTES) chunks.push(bytes);
    size += bytes.length;
  };
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    const exchange: Exchange = {
      method,
      url,
      status: response.statusCode,
      headers: response.getHeaders(),
      body: Buffer.concat(chunks).toString('utf8'),
    };
    recorded.push({ contract, exchange });
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
}
