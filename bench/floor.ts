// The floor of a read call at scale: the same answer from the fewest direct
// REST requests, made with plain fetch (no MCP, no mapping). Each function
// returns the number of requests it made; it runs through the counting proxy
// like both servers, so the three are measured the same way.

type Json = any;

async function getJson(base: string, path: string, query: Record<string, string | number | boolean>): Promise<Json> {
  const url = new URL(base + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
  const res = await fetch(url);
  if (!res.ok) throw new Error(`floor: ${path} answered ${res.status}`);
  return res.json();
}

/** Every page of a run query, newest first, 1,000 rows a page. */
async function allRuns(base: string, query: Record<string, string>): Promise<number> {
  let requests = 0;
  for (let page = 1; ; page += 1) {
    const body = await getJson(base, '/api/v1/runs', { sort_by: 'desc:created', hydrate: true, size: 1000, page, ...query });
    requests += 1;
    if (page >= body.total_pages) return requests;
  }
}

const oneof = (values: string[]) => `oneof:${JSON.stringify(values)}`;

export type Floor = (base: string) => Promise<number>;

export const FLOORS: Record<string, Floor> = {
  'list status=failed': (base) => allRuns(base, { status: oneof(['failed', 'retried']) }),
  'list flow=failing_flow': (base) => allRuns(base, { pipeline_name: 'failing_flow' }),
  'latest flow=failing_flow': async (base) => {
    await getJson(base, '/api/v1/runs', { sort_by: 'desc:created', hydrate: true, size: 1, pipeline_name: 'failing_flow' });
    return 1;
  },
  // The newest paused run and, for its pending_wait, the pending waits (at once).
  'latest status=waiting': async (base) => {
    await Promise.all([
      getJson(base, '/api/v1/runs', { sort_by: 'desc:created', hydrate: true, size: 1, status: oneof(['paused']) }),
      getJson(base, '/api/v1/run_wait_conditions', { status: 'pending', hydrate: true, size: 200 }),
    ]);
    return 2;
  },
  'list limit=50': async (base) => {
    await getJson(base, '/api/v1/runs', { sort_by: 'desc:created', hydrate: true, size: 50 });
    return 1;
  },
};
