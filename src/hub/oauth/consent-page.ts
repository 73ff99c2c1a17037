import { AuthorizationRequest } from './authorization-request';
import { ConsentChoice } from './consent';
import { DirectoryData } from './directory';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Everything the pages show comes from requests or the directory: always escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** Self-contained pages: no scripts, no external assets, not framable, not cached. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0}label{display:block}
.error{color:#a00;font-weight:bold}button{font-size:1rem;margin-right:.5rem;padding:.4rem 1rem}
small{color:#666}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
<p><small>Zaikio stand-in hub, for development and tests only.</small></p>
</body></html>
`;
}

/** The 400 page for a request that must not be redirected (unknown client, unregistered URI). */
export function errorPage(message: string): string {
  return page('Sign-in request refused', `<p class="error">${escapeHtml(message)}</p>`);
}

function radio(name: string, value: string, label: string, checked: boolean): string {
  const id = `${name}-${value}`;
  return `<label for="${escapeHtml(id)}"><input type="radio" id="${escapeHtml(id)}" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>`;
}

const WHO: Readonly<Record<string, string>> = {
  Per: 'for the person who signs in',
  Org: 'for an organization the person administers',
  'Per>Org': 'for the person, acting on behalf of one of their organizations',
};

export interface ConsentPageInput {
  readonly request: AuthorizationRequest;
  readonly data: DirectoryData;
  /** The key of the pending consent, posted back with the decision. */
  readonly consentKey: string;
  readonly action: string;
  /** Why the page asks again, after an unusable choice, and what was picked then. */
  readonly message?: string;
  readonly choice?: ConsentChoice;
}

/** One radio button per person, with their memberships, so the developer knows whom to pick. */
function personChoices(data: DirectoryData, picked: string | null): string {
  const organizationName = (id: string) => data.organizations.find((o) => o.id === id)?.name ?? id;
  return data.persons
    .map((person, index) => {
      const roles = data.memberships
        .filter((m) => m.personId === person.id)
        .map((m) => `${m.roles.join('/')} of ${organizationName(m.organizationId)}`)
        .join('; ');
      const label = `${person.name} (${person.id})${roles ? ` — ${roles}` : ''}`;
      return radio(
        'person',
        person.id,
        label,
        picked === null ? index === 0 : picked === person.id,
      );
    })
    .join('\n');
}

/** The pre-selected organization, or one radio button per organization. */
function organizationChoice(
  data: DirectoryData,
  preselectedId: string | null,
  picked: string | null,
): string {
  const preselected = data.organizations.find((o) => o.id === preselectedId);
  if (preselected) {
    return `<p>Organization: <strong>${escapeHtml(`${preselected.name} (${preselected.id})`)}</strong></p>`;
  }
  const choices = data.organizations.map((org, index) =>
    radio(
      'organization',
      org.id,
      `${org.name} (${org.id})`,
      picked === null ? index === 0 : picked === org.id,
    ),
  );
  return `<fieldset><legend>Organization</legend>${choices.join('\n')}</fieldset>`;
}

/** The consent page: pick the person (and organization), then approve or deny. */
export function consentPage(input: ConsentPageInput): string {
  const { request, data, choice } = input;
  const { bearer, organizationId } = request.scopeRequest;
  const organizations =
    bearer === 'Per'
      ? ''
      : organizationChoice(data, organizationId, choice?.organizationId ?? null);
  const scopes = request.scopes.length
    ? request.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')
    : '<li>no scope this bearer can hold</li>';
  const message = input.message
    ? `<p class="error" role="alert">${escapeHtml(input.message)}</p>`
    : '';
  return page(
    `Sign in to ${request.client.appName}`,
    `<p>The client <strong>${escapeHtml(request.client.id)}</strong> asks, ${WHO[bearer]}, for:</p>
<ul>${scopes}</ul>
${message}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="consent" value="${escapeHtml(input.consentKey)}">
<fieldset><legend>Person</legend>${personChoices(data, choice?.personId ?? null)}</fieldset>
${organizations}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}
