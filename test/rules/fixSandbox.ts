// A temp project (with this repo's node_modules) and a real redis-server, for compiling fixed code and running it.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The user's compiler, not the analyser's parser: fixes must compile with the TypeScript a project installs.
import ts from 'typescript';
import Redis from 'ioredis';
import { startRedisServer, type RedisServer } from '../redis/redisServer';

export interface FixSandbox {
  dir: string;
  server: RedisServer;
  /** A client on the sandbox's Redis. */
  client: Redis;
  /** Compiles the named files of the sandbox to JavaScript next to them; returns the compiler's messages. */
  compile(files: string[], options?: ts.CompilerOptions): string[];
  stop(): Promise<void>;
}

/** Strict CommonJS settings a typical Node service compiles with. */
export const STRICT_COMMONJS: ts.CompilerOptions = {
  strict: true,
  esModuleInterop: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: ['node'],
  skipLibCheck: true,
};

export async function startFixSandbox(prefix: string, files: Record<string, string>): Promise<FixSandbox> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(__dirname, '..', '..', 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const server = await startRedisServer();
  const client = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 3 });
  return {
    dir,
    server,
    client,
    compile(names, options = STRICT_COMMONJS) {
      const program = ts.createProgram(
        names.map((name) => join(dir, name)),
        { ...options, outDir: options.noEmit ? undefined : dir },
      );
      const emitted = program.emit();
      return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
        const where = d.file
          ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `
          : '';
        return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
      });
    },
    async stop() {
      client.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
