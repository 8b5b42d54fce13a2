// What every Kitaru operation needs: the process environment, the working
// directory, the current connection (re-read per call, as Python's
// KitaruClient() does) and a cached HTTP client per server and identity.
import { createHash } from 'node:crypto';
import { type Connection, resolveConnection } from '../config/connection.ts';
import type { Env } from '../config/paths.ts';
import { ZenmlHttpClient } from '../http/client.ts';
import { VERSION } from '../version.ts';
import { KitaruUsageError } from './errors.ts';
import type { AskHuman } from './waits-ask.ts';

export interface RuntimeOptions {
  env: Env;
  cwd: string;
  /** An explicit Python interpreter (--python / KITARU_PYTHON). */
  python?: string | undefined;
  /** Upper bound for one HTTP request; the store's http_timeout applies when lower. */
  requestTimeoutMs?: number;
}

export class KitaruRuntime {
  readonly env: Env;
  readonly cwd: string;
  readonly pythonOverride: string | undefined;
  private readonly requestTimeoutMs: number;
  private readonly clients = new Map<string, ZenmlHttpClient>();

  constructor(options: RuntimeOptions) {
    this.env = options.env;
    this.cwd = options.cwd;
    this.pythonOverride = options.python ?? (options.env.KITARU_PYTHON?.trim() || undefined);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  connection(): Connection {
    return resolveConnection(this.env, this.cwd);
  }

  /**
   * The REST client for the configured server. Fails plainly when Kitaru is on
   * the local SQLite database (no server to ask) or when the environment is
   * half-configured, with the words Python uses. That last check is Python's
   * KitaruClient(); the tools Python serves through ZenML's own Client (status,
   * info, stacks, manage_stack, secrets) pass `{ guardrails: false }` and meet
   * the server as it is, so a failure names its real cause.
   */
  api(connection: Connection = this.connection(), options: { guardrails?: boolean } = {}): ZenmlHttpClient {
    if (connection.usageProblem !== null && options.guardrails !== false) throw new KitaruUsageError(connection.usageProblem);
    const store = connection.store;
    if (store.type !== 'rest') {
      throw new KitaruUsageError(
        `Kitaru is using the local database (${store.url}), which has no server for this tool to query. ` +
          'Start the local Kitaru server with the `kitaru_start_local_server` tool (or run `kitaru login`), ' +
          'or connect to a remote server with `kitaru login <url>`, then try again. Starting the local server runs the ' +
          'Python where kitaru (0.11.0 to 0.18.x) is installed: name it with `--python` or KITARU_PYTHON.',
      );
    }
    // Identity is part of the key so a new login never reuses another user's token.
    const identity = createHash('sha256')
      .update(JSON.stringify([store.url, connection.credentials, store.verifySsl, connection.maxResponseBytes]))
      .digest('hex');
    let client = this.clients.get(identity);
    if (client === undefined) {
      client = new ZenmlHttpClient({
        baseUrl: store.url,
        credentials: connection.credentials,
        timeoutMs: Math.min(this.requestTimeoutMs, store.httpTimeoutSeconds * 1000),
        userAgent: `kitaru-mcp/${VERSION}`,
        verifySsl: store.verifySsl,
        maxResponseBytes: connection.maxResponseBytes,
      });
      this.clients.set(identity, client);
    }
    return client;
  }

  /** The `project` query value for project-scoped lists (name or id; the server resolves it). */
  project(connection: Connection): string | undefined {
    return connection.project ?? undefined;
  }
}

/** What one operation may be given by its caller: a signal that cancels it. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/**
 * The one per-call context: what every operation gets from its caller (tool
 * handlers receive exactly this): where it runs, when to stop, how to report,
 * and how to ask the person at the client.
 */
export interface CallContext {
  runtime: KitaruRuntime;
  /** Aborted when the caller gives up (the client cancels the call or goes away). */
  signal: AbortSignal;
  /** Reports progress when the caller listens; a no-op otherwise. */
  progress(update: Progress): Promise<void>;
  /** Asks the person a question with a form; set only when the client can show one (elicitation). */
  askHuman?: AskHuman | undefined;
}
