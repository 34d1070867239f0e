// Starts and stops real redis-server processes (standalone or a 3-primary cluster) on free loopback ports for tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 15_000;

/** Fails with an actionable message when the Debian packages are missing; nothing is skipped. */
export function requireRedisBinaries(): void {
  for (const bin of ['redis-server', 'redis-cli']) {
    const found = spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
    if (!found) throw new Error(`${bin} not found: install it with \`apt-get install -y redis-server redis-tools\``);
  }
}

/** Whether a TCP port on loopback can be bound right now. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A free loopback port; with `clusterBus`, port + 10000 (the cluster bus) is free too. */
export async function freePort(clusterBus = false): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (!(await isPortFree(port))) continue;
    if (clusterBus && !(await isPortFree(port + 10_000))) continue;
    return port;
  }
  throw new Error('no free loopback port found');
}

export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** Stops the process (SIGTERM, or SIGKILL to simulate a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  port?: number;
  /** Extra redis-server arguments, e.g. ['--requirepass', 'secret']. */
  args?: string[];
  dir?: string;
  /** Serve TLS only, on `port`, with this certificate (see createTestCertificate). */
  tls?: TestCertificate;
  /** A config file passed first (Sentinel needs one: it rewrites it). */
  configFile?: string;
  /** The log line that means ready; default "Ready to accept connections". */
  readyPattern?: RegExp;
}

export interface TestCertificate {
  certFile: string;
  keyFile: string;
}

/** A self-signed certificate for 127.0.0.1 in `dir`, made with the openssl CLI. */
export function createTestCertificate(dir: string): TestCertificate {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`openssl failed: ${result.stderr || result.error?.message} (apt-get install -y openssl)`);
  return { certFile, keyFile };
}

/** Whether a simple reply line, or a bulk string with its whole body, has arrived. */
function isCompleteReply(buffer: string): boolean {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return false;
  if (!buffer.startsWith('$')) return true;
  const length = Number(buffer.slice(1, lineEnd));
  return length < 0 || Buffer.byteLength(buffer) >= lineEnd + 2 + length + 2;
}

/** Sends one inline command over a raw socket and resolves with the first reply line. */
export function rawCommand(port: number, line: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${line} on ${port}`));
    }, timeoutMs);
    let buffer = '';
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (isCompleteReply(buffer)) {
        clearTimeout(timer);
        socket.end();
        resolve(buffer);
      }
    });
    socket.connect(port, HOST, () => socket.write(`${line}\r\n`));
  });
}

function waitForReadyLine(child: ChildProcess, port: number, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server on ${port} not ready in time:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining so the pipe never fills
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before ready:\n${output}`));
    });
  });
}

/** Starts `redis-server --port <free> --save '' --appendonly no` in a temp dir and waits until it answers PING. */
export async function startRedisServer(options: StartOptions = {}): Promise<RedisServer> {
  requireRedisBinaries();
  const port = options.port ?? (await freePort());
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pa-redis-'));
  const portArgs = options.tls
    ? [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        options.tls.certFile,
        '--tls-key-file',
        options.tls.keyFile,
        '--tls-auth-clients',
        'no',
      ]
    : ['--port', String(port)];
  const child = spawn(
    'redis-server',
    [
      ...(options.configFile ? [options.configFile] : []),
      ...portArgs,
      '--bind',
      HOST,
      '--dir',
      dir,
      '--logfile',
      '',
      ...(options.configFile ? [] : ['--save', '', '--appendonly', 'no']),
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForReadyLine(child, port, options.readyPattern ?? /Ready to accept connections/);
  if (!options.tls) {
    const reply = await rawCommand(port, 'PING'); // +PONG, or -NOAUTH when a password is required: either way it answers
    if (!reply.startsWith('+PONG') && !reply.startsWith('-NOAUTH')) throw new Error(`unexpected PING reply: ${reply}`);
  }
  let stopped = false;
  return {
    port,
    dir,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!stopped) {
        stopped = true;
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      }
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a Sentinel (redis-server --sentinel) that monitors the master on `masterPort` as "mymaster". */
export async function startSentinel(masterPort: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pa-sentinel-'));
  const configFile = join(dir, 'sentinel.conf');
  writeFileSync(
    configFile,
    `sentinel monitor mymaster ${HOST} ${masterPort} 1\nsentinel down-after-milliseconds mymaster 5000\n`,
  );
  const sentinel = await startRedisServer({
    dir,
    configFile,
    args: ['--sentinel'],
    readyPattern: /\+monitor master mymaster/,
  });
  return {
    ...sentinel,
    stop: async (signal) => {
      await sentinel.stop(signal);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisCluster {
  readonly ports: number[];
  stop(): Promise<void>;
}

/** Polls a condition until it holds or the deadline passes (for cluster convergence, which emits no event). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts 3 cluster-enabled primaries on loopback and joins them with `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RedisCluster> {
  requireRedisBinaries();
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort(true);
      servers.push(
        await startRedisServer({
          port,
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            '--cluster-node-timeout',
            '5000',
          ],
        }),
      );
    }
    const addresses = servers.map((s) => `${HOST}:${s.port}`);
    const create = spawn(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      { stdio: 'pipe' },
    );
    let log = '';
    create.stdout.on('data', (c: Buffer) => {
      log += c.toString();
    });
    create.stderr.on('data', (c: Buffer) => {
      log += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => create.once('exit', resolve));
    if (code !== 0) throw new Error(`redis-cli --cluster create failed (${code}):\n${log}`);
    for (const server of servers) {
      await waitUntil(
        async () => (await rawCommand(server.port, 'CLUSTER INFO')).includes('cluster_state:ok'),
        20_000,
        `cluster_state:ok on ${server.port}`,
      );
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  return {
    ports: servers.map((s) => s.port),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}
