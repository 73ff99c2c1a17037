/**
 * Zaikio lists an app's API from `/docs/manifest.json`; the paths here are where setupDocs and
 * DocsController serve the document and the logo, so the manifest cannot point elsewhere.
 */
export const DOCS_ROUTE = 'docs';
export const API_DOCUMENT_PATH = `/${DOCS_ROUTE}/api.json`;
export const LOGO_PATH = `/${DOCS_ROUTE}/logo.png`;
export const API_TITLE = 'Warehouse API';
export const API_SUMMARY =
  "Items in an organization's warehouse and each person's settings, for Zaikio apps: " +
  'authorize with a Zaikio access token.';

export interface ZaikioManifest {
  readonly title: string;
  readonly logo: string;
  readonly summary: string;
  readonly references: { readonly API: string };
}

export function zaikioManifest(): ZaikioManifest {
  return {
    title: API_TITLE,
    logo: LOGO_PATH,
    summary: API_SUMMARY,
    references: { API: API_DOCUMENT_PATH },
  };
}
