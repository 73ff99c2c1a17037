/**
 * `npm run generate:client` (before every typecheck, and before lint when missing): TypeScript
 * types for the served API document, by openapi-typescript, into test/generated/ (not committed).
 * openapi-fetch reads them:
 *
 *   import createClient from 'openapi-fetch';
 *   import type { paths } from '../test/generated/api';
 *   const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER, OpenAPI3 } from 'openapi-typescript';
import { servedApiDocument } from './api-document';

const GENERATED_DIR = join(__dirname, '..', 'test', 'generated');

async function main(): Promise<void> {
  const types = join(GENERATED_DIR, 'api.d.ts');
  // `npm run lint` only needs the types to exist (typecheck regenerates them every time).
  if (process.argv.includes('--if-missing') && existsSync(types)) return;
  const document = await servedApiDocument();
  // Our OpenAPIObject and openapi-typescript's OpenAPI3 describe the same JSON.
  const nodes = await openapiTS(document as unknown as OpenAPI3, { silent: true });
  await mkdir(GENERATED_DIR, { recursive: true });
  const header = `${COMMENT_HEADER}// From /docs/api.json by \`npm run generate:client\`.\n\n`;
  await writeFile(types, header + astToString(nodes));
  process.stdout.write(`wrote ${types}\n`);
}

void main();
