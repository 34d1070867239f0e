// SARIF 2.1.0 for GitHub code scanning: rule metadata with help URIs, results with regions relative to %SRCROOT%, fingerprints.
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JsonReport, ReportFinding, ReportLocation } from '../report';
import { typesPart } from './text';

export interface SarifRuleSource {
  id: string;
  description: string;
  defaultSeverity: 'error' | 'warning' | 'info' | 'hint';
  docsUrl: string;
}

export interface SarifOptions {
  version: string;
  informationUri: string;
  rules: readonly SarifRuleSource[];
  /** Reads a file's text by its report path, for fingerprints; undefined when unknown. */
  sourceOf: (file: string) => string | undefined;
}

type SarifLevel = 'error' | 'warning' | 'note' | 'none';
const LEVEL: Record<ReportFinding['severity'], SarifLevel> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** Encodes a relative posix path as a URI reference (spaces, #, % and non-ASCII escaped; slashes kept). */
function uriReference(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function artifactLocation(file: string) {
  const absolute = file.startsWith('/') || /^[a-zA-Z]:\//.test(file);
  return absolute ? { uri: pathToFileURL(file).href } : { uri: uriReference(file), uriBaseId: '%SRCROOT%' };
}

/** A whole file as a location (the file a notification is about). */
function fileLocation(file: string) {
  return { physicalLocation: { artifactLocation: artifactLocation(file) } };
}

/** The report path a SARIF artifact URI stands for (the inverse of `artifactLocation`). */
export function fileOfUri(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri).split('\\').join('/');
  return uri.split('/').map(decodeURIComponent).join('/');
}

function physicalLocation(location: ReportLocation) {
  return {
    artifactLocation: artifactLocation(location.file),
    region: {
      startLine: location.line,
      startColumn: location.column,
      endLine: location.endLine,
      endColumn: location.endColumn,
    },
  };
}

/** A fingerprint stable across unrelated edits: rule, file, the trimmed text of the line, and its occurrence number. */
function fingerprints(findings: readonly ReportFinding[], sourceOf: SarifOptions['sourceOf']): string[] {
  const seen = new Map<string, number>();
  const linesByFile = new Map<string, string[] | undefined>();
  return findings.map((finding) => {
    const file = finding.location.file;
    if (!linesByFile.has(file)) linesByFile.set(file, sourceOf(file)?.split(/\r\n|\r|\n/));
    const lineText = (linesByFile.get(file)?.[finding.location.line - 1] ?? String(finding.location.line)).trim();
    const key = `${finding.ruleId}\u0000${file}\u0000${lineText}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
  });
}

export function formatSarif(report: JsonReport, options: SarifOptions): string {
  const rules = [...options.rules];
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  for (const finding of report.findings) {
    if (!index.has(finding.ruleId)) {
      index.set(finding.ruleId, rules.length);
      rules.push({
        id: finding.ruleId,
        description: finding.ruleId,
        defaultSeverity: finding.severity,
        docsUrl: finding.docsUrl,
      });
    }
  }
  const prints = fingerprints(report.findings, options.sourceOf);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'perf-advisor',
            version: options.version,
            semanticVersion: options.version,
            informationUri: options.informationUri,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)(\w)/g, (_m, _d: string, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.description },
              helpUri: rule.docsUrl,
              help: {
                text: `${rule.description} See ${rule.docsUrl}`,
                markdown: `${rule.description} [Documentation](${rule.docsUrl})`,
              },
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
              properties: { tags: ['performance'], precision: 'high' },
            })),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: pathToFileURL(report.root.endsWith('/') ? report.root : `${report.root}/`).href },
        },
        invocations: [
          {
            executionSuccessful: true,
            // Whether the run asked the TypeScript checker (`--types`): findings may differ with it.
            properties: {
              types: report.summary.types,
              // One shard of a CI matrix (`check --shard i/n`): `perf-advisor merge` checks every shard is there.
              ...(report.summary.shard ? { shard: report.summary.shard } : {}),
            },
            toolExecutionNotifications: [
              {
                level: 'note' as const,
                message: { text: `Ran ${typesPart(report.summary.types)}` },
              },
              ...(report.summary.types.enabled ? report.summary.types.problems : []).map((problem) => ({
                level: 'warning' as const,
                message: { text: `Types: ${problem}` },
              })),
              ...report.errors.map((e) => ({
                level: 'error' as const,
                message: { text: `Could not analyse ${e.file}: ${e.message}` },
                locations: [fileLocation(e.file)],
              })),
              ...report.skipped.map((s) => ({
                level: 'note' as const,
                message: { text: `Skipped ${s.file}: ${s.reason}` },
                locations: [fileLocation(s.file)],
              })),
            ],
          },
        ],
        results: report.findings.map((finding, i) => ({
          ruleId: finding.ruleId,
          ruleIndex: index.get(finding.ruleId)!,
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [{ physicalLocation: physicalLocation(finding.location) }],
          relatedLocations: finding.related.map((related, id) => ({
            id,
            physicalLocation: physicalLocation(related.location),
            message: { text: related.message },
          })),
          partialFingerprints: { 'perfAdvisorFingerprint/v1': prints[i]! },
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
