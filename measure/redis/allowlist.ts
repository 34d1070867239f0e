// The one place that decides which commands the panel may send: read-only commands only, checked before sending.

export class ReadOnlyCommandError extends Error {
  constructor(readonly argv: readonly string[]) {
    super(`refused to send "${argv.slice(0, 2).join(' ')}": not on the panel's read-only allowlist`);
    this.name = 'ReadOnlyCommandError';
  }
}

/** CONFIG GET is allowed only for these named keys (no patterns that could dump the whole config). */
export const CONFIG_GET_KEYS: ReadonlySet<string> = new Set([
  'maxmemory',
  'maxmemory-policy',
  'maxclients',
  'timeout',
  'slowlog-log-slower-than',
  'slowlog-max-len',
  'latency-monitor-threshold',
]);

/** Commands with no sub-command. */
const SIMPLE: ReadonlySet<string> = new Set(['INFO', 'SCAN', 'TYPE', 'TTL', 'PTTL', 'DBSIZE', 'PING']);

/** Commands with a sub-command: command → allowed sub-commands. */
const WITH_SUBCOMMAND: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['SLOWLOG', new Set(['GET', 'LEN'])],
  ['LATENCY', new Set(['LATEST', 'HISTORY'])],
  ['CONFIG', new Set(['GET'])],
  ['CLIENT', new Set(['LIST', 'INFO'])],
  ['MEMORY', new Set(['USAGE'])],
  ['CLUSTER', new Set(['INFO', 'NODES'])],
]);

/** Whether `argv` (command name first) may be sent. */
export function isAllowed(argv: readonly (string | number)[]): boolean {
  if (argv.length === 0) return false;
  const command = String(argv[0]).toUpperCase();
  if (SIMPLE.has(command)) return true;
  const subcommands = WITH_SUBCOMMAND.get(command);
  if (!subcommands || argv.length < 2) return false;
  const sub = String(argv[1]).toUpperCase();
  if (!subcommands.has(sub)) return false;
  if (command === 'CONFIG')
    return argv.length > 2 && argv.slice(2).every((key) => CONFIG_GET_KEYS.has(String(key).toLowerCase()));
  return true;
}

/** Throws ReadOnlyCommandError unless `argv` is allowed. Every send path of the panel calls this first. */
export function assertAllowed(argv: readonly (string | number)[]): void {
  if (!isAllowed(argv)) throw new ReadOnlyCommandError(argv.map(String));
}

/**
 * Commands the client library itself sends while connecting (not chosen by the panel): AUTH with
 * the SecretStorage password, SELECT of the configured db, CLIENT SETNAME so that the panel's
 * connection is recognisable in CLIENT LIST, INFO for the ready check. The MONITOR test accepts
 * these besides the allowlist; none of them changes data.
 */
export const HANDSHAKE_COMMANDS: ReadonlySet<string> = new Set(['AUTH', 'SELECT', 'CLIENT SETNAME', 'INFO']);
