import 'reflect-metadata';
import type { OpenAPIObject } from '@nestjs/swagger';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import { parseConfig } from '../src/config';
import { buildApiDocument } from '../src/docs';

/**
 * The document the server serves at /docs/api.json, built in-process the way createApp builds it
 * (no port, no network): the sandbox configuration, an embedded database in a temporary directory
 * that is removed again. The document does not depend on the hub being reachable.
 */
export async function servedApiDocument(): Promise<OpenAPIObject> {
  const dataDir = await mkdtemp(join(tmpdir(), 'warehouse-api-document-'));
  try {
    // Events off: the document does not depend on them, and sandbox would demand Loom's password.
    const config = parseConfig({
      ZAIKIO_ENV: 'sandbox',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      EVENTS: 'off',
    });
    const app = await createApp(config);
    try {
      return buildApiDocument(app, config);
    } finally {
      await app.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
