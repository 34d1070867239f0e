// The subset of SARIF 2.1.0 that GitHub code scanning requires or reads, as a zod schema, with cross-checks (ruleIndex, regions).
import { z } from 'zod';

const Text = z.object({ text: z.string().min(1) });
const Level = z.enum(['none', 'note', 'warning', 'error']);

const Region = z
  .object({
    startLine: z.number().int().min(1),
    startColumn: z.number().int().min(1),
    endLine: z.number().int().min(1),
    endColumn: z.number().int().min(1),
  })
  .refine(
    (r) => r.endLine > r.startLine || (r.endLine === r.startLine && r.endColumn >= r.startColumn),
    'region ends before it starts',
  );

/** GitHub resolves relative URIs against the checkout; absolute paths and backslashes do not match files. */
const RelativeArtifact = z.object({
  uri: z
    .string()
    .min(1)
    .refine(
      (uri) => !uri.startsWith('/') && !uri.includes('\\') && !/^[a-z]+:/i.test(uri),
      'uri must be relative to the source root',
    ),
  uriBaseId: z.literal('%SRCROOT%'),
});

const PhysicalLocation = z.object({ artifactLocation: RelativeArtifact, region: Region });

const Rule = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  shortDescription: Text,
  fullDescription: Text,
  helpUri: z.url(),
  help: z.object({ text: z.string().min(1), markdown: z.string().optional() }).optional(),
  defaultConfiguration: z.object({ level: Level }),
  properties: z
    .object({
      tags: z.array(z.string()).optional(),
      precision: z.enum(['very-high', 'high', 'medium', 'low']).optional(),
    })
    .optional(),
});

const Result = z.object({
  ruleId: z.string().min(1),
  ruleIndex: z.number().int().min(0),
  level: Level,
  message: Text,
  locations: z
    .array(z.object({ physicalLocation: PhysicalLocation }))
    .min(1)
    .max(10),
  relatedLocations: z
    .array(z.object({ id: z.number().int().min(0), physicalLocation: PhysicalLocation, message: Text.optional() }))
    .optional(),
  partialFingerprints: z.record(z.string(), z.string().min(1)),
});

const Run = z
  .object({
    tool: z.object({
      driver: z.object({
        name: z.string().min(1),
        version: z.string().min(1),
        semanticVersion: z
          .string()
          .regex(/^\d+\.\d+\.\d+/)
          .optional(),
        informationUri: z.url(),
        rules: z.array(Rule).max(25_000),
      }),
    }),
    originalUriBaseIds: z.object({ '%SRCROOT%': z.object({ uri: z.string().regex(/^file:\/\/.*\/$/) }) }),
    invocations: z
      .array(
        z.object({
          executionSuccessful: z.boolean(),
          toolExecutionNotifications: z.array(z.object({ level: Level, message: Text })).optional(),
        }),
      )
      .min(1),
    results: z.array(Result).max(25_000),
  })
  .superRefine((run, ctx) => {
    const ids = run.tool.driver.rules.map((r) => r.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'duplicate rule ids' });
    run.results.forEach((result, i) => {
      if (ids[result.ruleIndex] !== result.ruleId)
        ctx.addIssue({
          code: 'custom',
          path: ['results', i, 'ruleIndex'],
          message: `ruleIndex ${result.ruleIndex} does not point at ${result.ruleId}`,
        });
    });
  });

export const GitHubSarif = z.object({
  $schema: z.string().regex(/sarif-2\.1\.0/),
  version: z.literal('2.1.0'),
  runs: z.array(Run).length(1),
});
export type GitHubSarif = z.infer<typeof GitHubSarif>;
