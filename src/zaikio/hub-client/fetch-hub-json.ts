/** Why a hub request failed, in words safe to log. */
export class HubFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubFetchError';
  }
}

export interface FetchHubJsonOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/**
 * GETs a hub endpoint and parses its JSON body, refusing slow, oversized, non-JSON and non-2xx
 * answers. The whole exchange, body included, must finish within the timeout.
 */
export async function fetchHubJson(url: string, options: FetchHubJsonOptions): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    throw new HubFetchError(`GET ${url} failed: ${describe(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new HubFetchError(`GET ${url} answered ${response.status}`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!/\bjson\b/i.test(contentType)) {
    await response.body?.cancel().catch(() => undefined);
    throw new HubFetchError(`GET ${url} answered content-type "${contentType}", not JSON`);
  }
  const text = await readCapped(response, url, options.maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HubFetchError(`GET ${url} answered a body that is not JSON`);
  }
}

async function readCapped(response: Response, url: string, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new HubFetchError(`GET ${url} answered ${declared} bytes, more than ${maxBytes}`);
  }
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new HubFetchError(`GET ${url} answered more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof HubFetchError) throw error;
    throw new HubFetchError(`GET ${url} body failed: ${describe(error)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}
