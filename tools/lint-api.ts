/**
 * `npm run lint:api`: Spectral's spectral:oas ruleset over the served API document. Any finding,
 * error, warning, information or hint, is printed and fails the run (part of `npm test`).
 */
import { describeFinding, lintApiDocument } from '../src/testing/api-lint';
import { servedApiDocument } from './api-document';

async function main(): Promise<void> {
  const findings = await lintApiDocument(await servedApiDocument());
  if (findings.length === 0) {
    process.stdout.write('/docs/api.json: spectral:oas found nothing\n');
    return;
  }
  const lines = findings.map((finding) => `  ${describeFinding(finding)}`);
  process.stderr.write(`/docs/api.json: spectral:oas found ${findings.length} problem(s)\n`);
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exitCode = 1;
}

void main();
