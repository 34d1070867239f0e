// A small Chrome DevTools Protocol client over a WebSocket (the `ws` package): commands with replies, events, close.
import WebSocket from 'ws';

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
}

/** One inspector session. Commands time out instead of hanging when the target stops answering. */
export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private closedError: Error | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('close', () => this.failAll(new Error('the inspector connection closed')));
    socket.on('error', (error) => this.failAll(error));
  }

  /** Connects to a `ws://…` debugger URL; rejects after `timeoutMs`. */
  static connect(url: string, timeoutMs = 10_000): Promise<CdpSession> {
    return new Promise((resolve, reject) => {
      // inspector messages can be large (a CPU profile is one message): no payload limit below 1 GiB
      const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`no answer from the inspector at ${url} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve(new CdpSession(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply from the inspector within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event named `method` (or rejects when the session closes first). */
  waitFor(method: string): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      if (this.closedError) return reject(this.closedError);
      const stop = this.onEvent((event) => {
        if (event.method !== method) return;
        stop();
        resolve(event);
      });
      this.socket.once('close', () => {
        stop();
        reject(new Error(`the inspector closed before ${method}`));
      });
    });
  }

  close(): void {
    this.socket.close();
  }

  private receive(text: string): void {
    let message: { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id === 'number') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    } else if (typeof message.method === 'string') {
      const event = { method: message.method, params: (message.params ?? {}) as Record<string, unknown> };
      for (const listener of [...this.listeners]) listener(event);
    }
  }

  private failAll(error: Error): void {
    this.closedError ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** The debugger URL of the first Node target behind `--inspect host:port` (its /json/list endpoint). */
export async function discoverTarget(host: string, port: number, timeoutMs = 5_000): Promise<string> {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const response = await fetch(`http://${hostPart}:${port}/json/list`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`the inspector at ${host}:${port} answered HTTP ${response.status}`);
  const targets = (await response.json()) as { webSocketDebuggerUrl?: string; type?: string }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl);
  if (!target?.webSocketDebuggerUrl) throw new Error(`no debuggable target at ${host}:${port}`);
  return target.webSocketDebuggerUrl;
}
