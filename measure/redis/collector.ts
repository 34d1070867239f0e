// One poll of every node: INFO, SLOWLOG GET and LATENCY LATEST pipelined in a single round trip per node.
import { PANEL_CLIENT_NAME, type OpenConnection, type ReadOnlyClient } from './connection';
import { countersFromInfo, type Counters } from './figures';
import type { LatencyEvent, SlowlogEntry } from './model';
import { parseInfo, parseLatencyLatest, parseSlowlog } from './parse';

export interface NodeSample {
  node: string;
  role: string;
  counters: Counters;
  slowlog: SlowlogEntry[];
  latency: LatencyEvent[];
}

/** Commands each poll sends to each node (INFO, SLOWLOG GET, LATENCY LATEST). */
export const COMMANDS_PER_NODE_POLL = 3;

/**
 * Polls one node. Throws when INFO fails; SLOWLOG or LATENCY errors (e.g. renamed commands) leave those lists empty.
 */
export async function sampleNode(
  client: ReadOnlyClient,
  slowlogEntries: number,
  now: () => number = Date.now,
): Promise<NodeSample> {
  const ownCommands = client.commandsSent;
  const [info, slowlog, latency] = await client.pipeline([
    ['INFO'],
    ['SLOWLOG', 'GET', slowlogEntries],
    ['LATENCY', 'LATEST'],
  ]);
  if (info.error) throw info.error;
  return {
    node: client.node,
    role: client.role,
    counters: countersFromInfo(parseInfo(String(info.value)), now(), ownCommands),
    // the panel's own INFO/SLOWLOG calls show up when the slowlog threshold is tiny; they are not the application's
    slowlog: slowlog.error
      ? []
      : parseSlowlog(slowlog.value, client.node).filter((e) => e.clientName !== PANEL_CLIENT_NAME),
    latency: latency.error ? [] : parseLatencyLatest(latency.value, client.node),
  };
}

/** Polls every node of the connection in parallel. */
export function sampleAll(
  connection: OpenConnection,
  slowlogEntries: number,
  now?: () => number,
): Promise<NodeSample[]> {
  return Promise.all(connection.clients.map((client) => sampleNode(client, slowlogEntries, now)));
}
