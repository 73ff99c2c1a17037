// The lint `npm run lint:api` runs: it must pass a clean document and name what breaks a bad one.
import { describeFinding, lintApiDocument } from './api-lint';

const clean = {
  openapi: '3.0.0',
  info: { title: 'Probe', description: 'A probe API', version: 'v1', contact: { name: 'Probe' } },
  servers: [{ url: '/', description: 'This server' }],
  tags: [{ name: 'probes', description: 'Probes' }],
  paths: {
    '/probes/{id}': {
      get: {
        operationId: 'getProbe',
        summary: 'One probe',
        description: 'Reads one probe',
        tags: ['probes'],
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            description: 'Its id',
            schema: { type: 'string' },
          },
        ],
        responses: { '204': { description: 'Found' } },
      },
    },
  },
};

describe('lintApiDocument', () => {
  it('finds nothing in a clean document', async () => {
    expect(await lintApiDocument(clean)).toEqual([]);
  });

  it('names each rule a document breaks, with where', async () => {
    const get = clean.paths['/probes/{id}'].get;
    const parameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
    const broken = {
      ...clean,
      paths: { '/probes/{id}': { get: { ...get, tags: ['unknown'], parameters: [parameter] } } },
    };
    const findings = (await lintApiDocument(broken)).map(describeFinding);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^warning operation-tag-defined at paths\.\/probes\/\{id\}\.get\.tags\.0 /,
        ),
        expect.stringMatching(/^warning oas3-parameter-description at paths\..*\.parameters\.0 /),
      ]),
    );
  });
});
