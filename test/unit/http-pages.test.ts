// The page iterator's stopping rule. A tiny loopback server stands in for the
// one ZenML behaviour that matters here: a page past the last is refused.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ZenmlHttpClient } from '../../src/http/client.ts';

const TOTAL = 100;
let server: http.Server;
let baseUrl: string;

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('page'));
    const size = Number(url.searchParams.get('size'));
    const totalPages = Math.ceil(TOTAL / size);
    if (page > totalPages) {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ detail: ['ValueError', `Invalid page ${page}.`] }));
      return;
    }
    const items = Array.from({ length: Math.min(size, TOTAL - (page - 1) * size) }, (_, i) => ({ n: (page - 1) * size + i }));
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ index: page, max_size: size, total_pages: totalPages, total: TOTAL, items }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => new ZenmlHttpClient({ baseUrl, credentials: {}, timeoutMs: 5000, userAgent: 'test' });

test('a full last page ends the scan without asking for the page after it', async () => {
  const api = client();
  const items = await api.list<{ n: number }>('/api/v1/things', { pageSize: 50 });
  assert.equal(items.length, TOTAL);
  assert.equal(api.stats.count, 2);
});

test('a caller that has enough stops early: requests grow with pages, not items', async () => {
  const api = client();
  const items = await api.list<{ n: number }>('/api/v1/things', { limit: 30, pageSize: 20 });
  assert.deepEqual(
    items.map((i) => i.n),
    Array.from({ length: 30 }, (_, i) => i),
  );
  assert.equal(api.stats.count, 2);
});
