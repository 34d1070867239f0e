// Messages between the extension host and the Redis panel webview: zod discriminated unions, checked on both sides.
import { z } from 'zod';
import { KeyspaceAnalysis, PanelState } from '../../measure/redis/model';

/** What "Find in code" asks the language server for: sites issuing `command`, optionally on a static key prefix. */
export const FindQuery = z.object({
  command: z
    .string()
    .regex(/^[A-Za-z.|]{1,40}$/)
    .optional(),
  keyPrefix: z.string().max(512).optional(),
});
export type FindQuery = z.infer<typeof FindQuery>;

/** Webview → host. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** The webview received a state and is showing it: the poller may poll again (see RedisPoller.acknowledge). */
  z.object({ type: z.literal('stateShown') }),
  z.object({ type: z.literal('reconnect') }),
  z.object({ type: z.literal('selectConnection') }),
  z.object({ type: z.literal('setPassword') }),
  z.object({ type: z.literal('analyzeKeyspace') }),
  z.object({ type: z.literal('cancelKeyspace') }),
  z.object({ type: z.literal('findInCode'), query: FindQuery, label: z.string().max(300) }),
  z.object({ type: z.literal('openRuleDocs'), ruleId: z.string().regex(/^[a-z0-9-]{1,80}$/) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** The key-space analysis as the panel shows it: idle, running with progress, done, or failed. */
export const KeyspaceView = z.object({
  phase: z.enum(['idle', 'running', 'done', 'error']),
  sampleSize: z.number(),
  sampled: z.number(),
  target: z.number(),
  result: KeyspaceAnalysis.nullable(),
  error: z.string().nullable(),
});
export type KeyspaceView = z.infer<typeof KeyspaceView>;

/** Host → webview. */
export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: PanelState }),
  z.object({ type: z.literal('keyspace'), keyspace: KeyspaceView }),
  /** A short transient line under the header ("3 code sites found", "no code site issues HGETALL on session:"). */
  z.object({ type: z.literal('status'), message: z.string().max(500) }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const idleKeyspace = (sampleSize: number): KeyspaceView => ({
  phase: 'idle',
  sampleSize,
  sampled: 0,
  target: 0,
  result: null,
  error: null,
});
