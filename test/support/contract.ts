// The switch that holds every e2e answer to the served API document (jest.config: setupFilesAfterEnv).
import type { OpenAPIObject } from '@nestjs/swagger';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiContract, Exchange } from '../../src/testing/api-contract';
import '../../src/testing/api-contract-matcher';
import { recordAnswer } from './answer-recorder';

interface Recorded {
  readonly contract: ApiContract;
  readonly exchange: Exchange;
}

let recorded: Recorded[] = [];

/** A server that records its own answers (in a process of its own); `take` hands them over. */
interface RecordedElsewhere {
  readonly contract: ApiContract;
  take(): Exchange[];
}

/** Taken from whenever answers are checked. */
const elsewhere = new Set<RecordedElsewhere>();

/**
 * Records every answer `server` sends, whoever asked (fetch, raw sockets, a browser), as it is
 * written: status, headers and body. expectRecordedAnswersHoldContract() checks them against
 * `document`, the one the server serves at /docs/api.json.
 */
export function holdToContract(server: Server, document: OpenAPIObject): void {
  const contract = new ApiContract(document);
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    recordAnswer(request, response, (exchange) => recorded.push({ contract, exchange }));
  });
}

/** Fetches the document `url` serves and holds `server` to it. */
export async function holdToServedContract(server: Server, url: string): Promise<void> {
  holdToContract(server, await servedDocument(url));
}

/**
 * Holds a server that records its answers itself (in a process of its own) to the document `url`
 * serves: `take()` hands over what it answered since the last call. The returned function takes
 * the last answers and stops asking (call it once the server is gone).
 */
export async function holdRecordedToServedContract(
  url: string,
  take: () => Exchange[],
): Promise<() => void> {
  const source: RecordedElsewhere = { contract: new ApiContract(await servedDocument(url)), take };
  elsewhere.add(source);
  return () => {
    takeFrom(source);
    elsewhere.delete(source);
  };
}

/** Checks and forgets what was recorded since the last call. */
export function expectRecordedAnswersHoldContract(): void {
  elsewhere.forEach(takeFrom);
  const checking = recorded;
  recorded = [];
  for (const { contract, exchange } of checking) {
    expect(exchange).toSatisfyApiContract(contract);
  }
}

async function servedDocument(url: string): Promise<OpenAPIObject> {
  const response = await fetch(`${url}/docs/api.json`);
  if (response.status !== 200) throw new Error(`${url}/docs/api.json answered ${response.status}`);
  return (await response.json()) as OpenAPIObject;
}

function takeFrom(source: RecordedElsewhere): void {
  for (const exchange of source.take()) recorded.push({ contract: source.contract, exchange });
}
