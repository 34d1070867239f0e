// Library knowledge for node-redis (`redis`, `@redis/client`): createClient makes a client; commands in camelCase, CAPITALS and (v3) lowercase.
import type { LibraryInput } from './schema';
import { commandMethods } from './redisCommands';

const factories = {
  createClient: { call: { returns: 'Client' } },
  createCluster: { call: { returns: 'Cluster' } },
  createSentinel: { call: { returns: 'Client' } },
  // v5+: a pool of clients.
  createClientPool: { call: { returns: 'ClientPool' } },
  RedisClientType: { type: 'Client' },
  RedisClusterType: { type: 'Cluster' },
  RedisClientPoolType: { type: 'ClientPool' },
};

const clientMethods = {
  // v4+ spells commands in camelCase and CAPITALS; v3 (callback API, still common) in lowercase.
  // node-redis v4+ pipelines the commands issued in the same tick automatically (one round trip for a Promise.all).
  ...commandMethods(
    (command) => [...(command.camel ? [command.camel, command.name] : []), command.name.toLowerCase()],
    { tickBatched: true },
  ),
  sendCommand: { effect: 'read' },
  multi: { returns: 'Multi' },
  MULTI: { returns: 'Multi' },
  duplicate: { returns: 'Client' },
  connect: { resolves: 'Client', lifecycle: 'connect' },
  quit: { lifecycle: 'close' },
  QUIT: { lifecycle: 'close' },
  disconnect: { lifecycle: 'close' },
  close: { lifecycle: 'close' },
  destroy: { lifecycle: 'close' },
  // Async iterators over SCAN: bounded per round trip.
  scanIterator: { effect: 'read' },
  hScanIterator: { effect: 'read', keyArg: 0 },
  sScanIterator: { effect: 'read', keyArg: 0 },
  zScanIterator: { effect: 'read', keyArg: 0 },
  withTypeMapping: { returns: 'ClientView' },
  withCommandOptions: { returns: 'ClientView' },
  withAbortSignal: { returns: 'ClientView' },
  ref: {},
  unref: {},
} as const;

export const redis: LibraryInput = {
  id: 'redis',
  commandOptions: 'object',
  modules: ['redis', '@redis/client'],
  roundTripNoun: 'command',
  exports: { ...factories, default: { members: factories } },
  types: {
    Client: {
      connection: 'client',
      methods: {
        ...clientMethods,
        // v4 only: runs the function on a dedicated connection from the isolation pool.
        executeIsolated: {},
      },
    },
    // with*() proxies send over the client they were made from.
    ClientView: { extends: ['Client'] },
    Cluster: {
      connection: 'client',
      methods: { ...clientMethods, duplicate: { returns: 'Cluster' } },
    },
    ClientPool: {
      connection: 'pool',
      methods: { ...clientMethods, execute: {} },
    },
    Multi: {
      description: 'multi()/MULTI(): commands are queued until exec()/EXEC() (or execAsPipeline()).',
      methods: {
        exec: { effect: 'write', batch: true },
        EXEC: { effect: 'write', batch: true },
        execAsPipeline: { effect: 'write', batch: true },
        execTyped: { effect: 'write', batch: true },
        addCommand: { returns: 'Multi' },
      },
      patterns: [{ match: '^[a-zA-Z]+$', spec: { returns: 'Multi' } }],
    },
  },
};
