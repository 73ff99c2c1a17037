import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiContract, Exchange } from './api-contract';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The answer holds the API document: documented status, body schema and headers. */
      toSatisfyApiContract(contract: ApiContract | OpenAPIObject): R;
    }
  }
}

const contracts = new WeakMap<OpenAPIObject, ApiContract>();

function contractOf(source: ApiContract | OpenAPIObject): ApiContract {
  if (source instanceof ApiContract) return source;
  let contract = contracts.get(source);
  if (!contract) {
    contract = new ApiContract(source);
    contracts.set(source, contract);
  }
  return contract;
}

expect.extend({
  toSatisfyApiContract(received: Exchange, source: ApiContract | OpenAPIObject) {
    const problems = contractOf(source).check(received);
    const request = `${received.method} ${received.url} → ${received.status}`;
    return {
      pass: problems.length === 0,
      message: () =>
        problems.length === 0
          ? `expected ${request} to break the API document, but it holds`
          : `${request} breaks the API document:\n  ${problems.join('\n  ')}`,
    };
  },
});
