// The helper programs' text, shipped inside the bundle (esbuild's `.py` text
// loader; see build.mjs). Loaded on first use, by dynamic import, so that
// under tsx the text hook can be registered first.
declare const __KITARU_MCP_VERSION__: string | undefined;

export interface HelperSources {
  worker: string;
  /** Modules the worker loads; a call names `module.function`. */
  modules: Record<string, string>;
}

let pending: Promise<HelperSources> | null = null;

export function helperSources(): Promise<HelperSources> {
  pending ??= (async () => {
    if (typeof __KITARU_MCP_VERSION__ !== 'string') (await import('./py-text-hook.ts')).registerPyTextHook();
    const [worker, support, warmup, flows, artifacts, stacks, localServer, environment, localDb] = await Promise.all([
      import('./helpers/worker.py'),
      import('./helpers/support.py'),
      import('./helpers/warmup.py'),
      import('./helpers/flows.py'),
      import('./helpers/artifacts.py'),
      import('./helpers/stacks.py'),
      import('./helpers/local_server.py'),
      import('./helpers/environment.py'),
      import('./helpers/local_db.py'),
    ]);
    return {
      worker: worker.default,
      modules: {
        support: support.default,
        warmup: warmup.default,
        flows: flows.default,
        artifacts: artifacts.default,
        stacks: stacks.default,
        local_server: localServer.default,
        environment: environment.default,
        local_db: localDb.default,
      },
    };
  })();
  return pending;
}
