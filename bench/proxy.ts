// A counting HTTP proxy in front of the Kitaru server: both MCP servers talk to the
// server through it, so "HTTP requests per call" is measured the same way for both,
// and the requests our server made can be replayed by a bare fetch client (the floor).
import http from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  body?: Buffer;
}

export interface CountingProxy {
  url: string;
  /** Requests seen since the last reset(). */
  requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const state = { requests: [] as RecordedRequest[] };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: body.length ? body : undefined,
      });
      const headers = { ...req.headers, host: upstream.host };
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    reset() {
      state.requests = [];
    },
    async close() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Replays recorded requests one after another with plain fetch; returns elapsed ms. */
export async function replay(target: string, requests: RecordedRequest[]): Promise<number> {
  const t = performance.now();
  for (const r of requests) {
    const headers: Record<string, string> = {};
    if (r.authorization) headers.authorization = r.authorization;
    if (r.contentType) headers['content-type'] = r.contentType;
    const res = await fetch(target + r.path, { method: r.method, headers, body: r.body });
    await res.arrayBuffer();
  }
  return performance.now() - t;
}
