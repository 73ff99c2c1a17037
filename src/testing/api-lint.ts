import {
  Document,
  ISpectralDiagnostic,
  RulesetDefinition,
  Spectral,
} from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';

const SEVERITY = ['error', 'warning', 'information', 'hint'];

/**
 * spectral:oas as `spectral lint` applies it (its recommended rules), plus the ruleset's optional
 * rules that fit this API, as warnings. contact-properties, info-license and license-url stay
 * off, as in the ruleset's own default: this proprietary API has no licence, site or e-mail to
 * state (README).
 */
const OPTIONAL_RULES = [
  'openapi-tags',
  'openapi-tags-alphabetical',
  'operation-singular-tag',
  'tag-description',
  'oas3-parameter-description',
  'oas3-server-not-example.com',
] as const;

/** Every finding of the ruleset on `document` (an OpenAPI object), of any severity. */
export async function lintApiDocument(document: object): Promise<ISpectralDiagnostic[]> {
  const spectral = new Spectral();
  const rules = Object.fromEntries(OPTIONAL_RULES.map((rule) => [rule, 'warn' as const]));
  // The ruleset's own typings are looser than the core's; it is a complete ruleset definition.
  spectral.setRuleset({ extends: [oas as RulesetDefinition], rules });
  return spectral.run(new Document(JSON.stringify(document, null, 2), Json, '/docs/api.json'));
}

/** One line per finding: severity, rule, where in the document, line of the pretty-printed JSON. */
export function describeFinding(finding: ISpectralDiagnostic): string {
  const line = finding.range.start.line + 1;
  const where = finding.path.join('.') || '(root)';
  const severity = SEVERITY[finding.severity] ?? String(finding.severity);
  return `${severity} ${String(finding.code)} at ${where} (line ${line}): ${finding.message}`;
}
