import { AuthorizationRequest } from './authorization-request';
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
  /** Why the page asks again, after an unusable choice. */
  readonly message?: string;
  readonly action: string;
}

/** The consent page: pick the person (and organization), then approve or deny. */
export function consentPage(input: ConsentPageInput): string {
  const { request, data } = input;
  const { bearer, organizationId } = request.scopeRequest;
  const rolesOf = (personId: string) =>
    data.memberships
      .filter((m) => m.personId === personId)
      .map(
        (m) =>
          `${m.roles.join('/')} of ${data.organizations.find((o) => o.id === m.organizationId)?.name ?? m.organizationId}`,
      )
      .join('; ');
  const persons = data.persons.map((person, index) => {
    const roles = rolesOf(person.id);
    return radio(
      'person',
      person.id,
      `${person.name} (${person.id})${roles ? ` — ${roles}` : ''}`,
      index === 0,
    );
  });
  let organizations = '';
  if (bearer !== 'Per') {
    const preselected = data.organizations.find((o) => o.id === organizationId);
    organizations = preselected
      ? `<p>Organization: <strong>${escapeHtml(`${preselected.name} (${preselected.id})`)}</strong></p>`
      : `<fieldset><legend>Organization</legend>${data.organizations
          .map((org, index) =>
            radio('organization', org.id, `${org.name} (${org.id})`, index === 0),
          )
          .join('\n')}</fieldset>`;
  }
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
<fieldset><legend>Person</legend>${persons.join('\n')}</fieldset>
${organizations}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}
