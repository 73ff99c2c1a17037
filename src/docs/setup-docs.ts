import type { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config';
import { documentAccessRules } from './access-rule-docs';
import { docsContentSecurityPolicy } from './docs-csp';
import { documentPagination } from './list-docs';
import { documentSharedAnswers } from './shared-answers-docs';
import { documentLoomWebhook } from './webhook-docs';
import { API_DOCUMENT_PATH, API_SUMMARY, API_TITLE, DOCS_ROUTE, LOGO_PATH } from './manifest';
import { resourceOf } from '../resource-metadata/protected-resource';
import { RouteAccessExplorer } from './route-access.explorer';
import { OAUTH_REDIRECT_PATH, SWAGGER_CLIENT_ID, SWAGGER_CONFIG_PATH } from './swagger-sign-in';

const DESCRIPTION = `${API_SUMMARY}

Every operation below states its whole access rule: the scopes that would do (any of them), the
bearer type and the roles an on-behalf person needs; \`x-zaikio-access\` holds the same rule for
tools. Click **Authorize** and paste an access token (\`bearer\`), or sign in at the Zaikio hub.

Errors read \`{"errors": ["<code>", "<sentence>"]}\`; validation errors (422)
\`{"errors": {"<field>": ["<message>"]}}\`. Lists take \`page\` (from 1) and \`per_page\` and
answer with \`Current-Page\`, \`Total-Count\`, \`Total-Pages\` and \`Link\` headers.`;

/**
 * The OpenAPI document: what Swagger reads from the controllers and DTOs, plus each route's access
 * rule read from the metadata the guard enforces. Built once at start-up so a route without a
 * documented rule fails the boot, not a reader.
 */
export function buildApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  if (config.hubUrl === null) throw new Error('hubUrl must be resolved before the docs are built');
  const base = new DocumentBuilder()
    .setTitle(API_TITLE)
    .setDescription(DESCRIPTION)
    .setVersion('v1')
    .addServer('/', 'This server')
    .build();
  // Whom to ask: the app as Zaikio's directory lists it (the API has no e-mail or site of its own).
  base.info.contact = { name: `Zaikio app "${config.appName}"` };
  const scanned = SwaggerModule.createDocument(app, base);
  const routes = explorerOf(app).routes();
  const options = { appName: config.appName, hubUrl: config.hubUrl };
  return documentSharedAnswers(
    documentLoomWebhook(documentPagination(documentAccessRules(scanned, routes, options))),
  );
}

/**
 * Serves Swagger UI at /docs and the document at /docs/api.json, from swagger-ui-dist on this
 * machine (no CDN). These are plain Express routes, outside the global guard: docs are public.
 * Call after the app is built and before it listens; DocsModule must be imported.
 */
export function setupDocs(app: INestApplication, config: AppConfig): OpenAPIObject {
  const document = buildApiDocument(app, config);
  const policy = docsContentSecurityPolicy(config.hubUrl);
  app.use(`/${DOCS_ROUTE}`, (_request: Request, response: Response, next: () => void) => {
    response.set('content-security-policy', policy);
    next();
  });
  const signIn = standInSignIn(app, config);
  SwaggerModule.setup(DOCS_ROUTE, app, document, {
    raw: ['json'],
    jsonDocumentUrl: API_DOCUMENT_PATH,
    customSiteTitle: `${API_TITLE} docs`,
    customfavIcon: LOGO_PATH,
    swaggerOptions: {
      // The default sends the document to validator.swagger.io; the docs must work offline.
      validatorUrl: null,
      displayRequestDuration: true,
      showExtensions: true,
      ...signIn,
    },
  });
  return document;
}

/**
 * Development and test: Swagger UI signs in at the stand-in hub with its seeded public client and
 * PKCE (no secret in the page). Sandbox and production have no such client: nothing is preset.
 * Swagger UI would derive its redirect page from `/docs` as `/oauth2-redirect.html`, outside
 * /docs; the remote configuration names the one under /docs on the host the browser used, which
 * must be the page's own origin for the redirect page to reach its opener.
 */
function standInSignIn(app: INestApplication, config: AppConfig): Record<string, unknown> {
  if (config.zaikioEnv !== 'development' && config.zaikioEnv !== 'test') return {};
  app.getHttpAdapter().get(SWAGGER_CONFIG_PATH, (request: Request, response: Response) => {
    response.set('cache-control', 'no-store');
    response.json({ oauth2RedirectUrl: `${resourceOf(request)}${OAUTH_REDIRECT_PATH}` });
  });
  return {
    configUrl: SWAGGER_CONFIG_PATH,
    initOAuth: { clientId: SWAGGER_CLIENT_ID, usePkceWithAuthorizationCodeGrant: true },
  };
}

function explorerOf(app: INestApplication): RouteAccessExplorer {
  try {
    return app.get(RouteAccessExplorer);
  } catch {
    throw new Error('setupDocs needs DocsModule: import it in the application module');
  }
}
