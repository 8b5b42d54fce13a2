// One small HTTP client for a ZenML server's REST API (/api/v1): timeouts on
// every request, bearer auth from a stored token or an API key exchanged at
// /login (re-done once on a 401), pagination, and error bodies turned into
// ZenmlApiError. It never sends an Origin header: the server only mints
// CSRF-bound session tokens for requests that carry one. Bodies are bounded,
// redirects never leave the configured origin, and HTML is refused (transport.ts).
import type http from 'node:http';
import { z } from 'zod';
import { type Credentials, tokenIsFresh } from '../config/connection.ts';
import { parseJson, stringifyJson } from '../compat/json.ts';
import { ZenmlApiError, ZenmlConnectionError, parseErrorBody } from './errors.ts';
import { parseResponse } from './parse.ts';
import { DEFAULT_MAX_RESPONSE_MIB } from '../config/limits.ts';
import { type RawResponse, type VerifySsl, exchange, isLoopback, makeAgent, tlsFailure } from './transport.ts';

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface Page<T> {
  index: number;
  max_size: number;
  total_pages: number;
  total: number;
  items: T[];
}

/** ZenML's Page envelope; items are checked by the caller's model. */
const PageEnvelope = z.looseObject({
  index: z.number().int(),
  max_size: z.number().int(),
  total_pages: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  items: z.array(z.unknown()),
});

/** A Page of `item`s, for endpoints read as one page (a lookup by name). */
export function pageOf<M extends z.ZodType>(item: M) {
  return PageEnvelope.extend({ items: z.array(item) });
}

/** OAuthTokenResponse: what POST /api/v1/login returns. */
const LoginResponse = z.looseObject({ access_token: z.string().min(1), token_type: z.string().optional() });

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Overrides the client's timeout for one slow call. */
  timeoutMs?: number;
}

export interface ModelOptions<M extends z.ZodType> extends RequestOptions {
  /** The model the answer (for lists: each item) must fit; a mismatch fails naming the endpoint and field. */
  model: M;
}

export interface HttpClientOptions {
  baseUrl: string;
  credentials: Credentials;
  timeoutMs: number;
  userAgent: string;
  /** Python's verify_ssl; default true. */
  verifySsl?: VerifySsl;
  /** Bound for every response body; default DEFAULT_MAX_RESPONSE_MIB. */
  maxResponseBytes?: number;
  /** Where warnings go (stderr by default; never stdout, which is the protocol). */
  warn?: (message: string) => void;
}

/** Counts requests per client; tests use it to prove a tool makes no N+1 calls. */
export interface RequestStats {
  count: number;
  byPath: Map<string, number>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const HTML_START = /^\s*<(?:!doctype html|html[\s>])/i;

export class ZenmlHttpClient {
  readonly baseUrl: string;
  readonly stats: RequestStats = { count: 0, byPath: new Map() };
  readonly maxResponseBytes: number;
  private accessToken: string | null;
  private loginInFlight: Promise<string | null> | null = null;
  private agentCache: http.Agent | null = null;
  private warnedPlainHttp = false;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const token = options.credentials.apiToken;
    this.accessToken = token !== undefined && tokenIsFresh(token) ? token.accessToken : null;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_MIB * 1024 * 1024;
  }

  /** Built on first use, so a bad CA bundle fails the call that needs it, with its message. */
  private get agent(): http.Agent {
    this.agentCache ??= makeAgent(new URL(this.baseUrl), this.options.verifySsl ?? true);
    return this.agentCache;
  }

  /** True when we hold something to log in with (so a 401 is worth one retry). */
  private get canLogin(): boolean {
    const c = this.options.credentials;
    return c.apiKey !== undefined || c.username !== undefined;
  }

  get<M extends z.ZodType>(path: string, options: ModelOptions<M>): Promise<z.output<M>>;
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  get(path: string, options: RequestOptions = {}): Promise<unknown> {
    return this.request('GET', path, options);
  }
  post<M extends z.ZodType>(path: string, options: ModelOptions<M>): Promise<z.output<M>>;
  post<T>(path: string, options?: RequestOptions): Promise<T>;
  post(path: string, options: RequestOptions = {}): Promise<unknown> {
    return this.request('POST', path, options);
  }
  put<M extends z.ZodType>(path: string, options: ModelOptions<M>): Promise<z.output<M>>;
  put<T>(path: string, options?: RequestOptions): Promise<T>;
  put(path: string, options: RequestOptions = {}): Promise<unknown> {
    return this.request('PUT', path, options);
  }
  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Yields the items of a list endpoint one page at a time; a caller that has
   * enough stops early. It stops at the last page: ZenML refuses a page past
   * it ("Invalid page"). Each page is one bounded read; the envelope is always
   * checked, and with `model` so is every item.
   */
  pages<M extends z.ZodType>(path: string, options: ModelOptions<M> & { pageSize: number }): AsyncGenerator<z.output<M>[]>;
  pages<T>(path: string, options: RequestOptions & { pageSize: number }): AsyncGenerator<T[]>;
  async *pages(path: string, options: RequestOptions & { pageSize: number; model?: z.ZodType }): AsyncGenerator<unknown[]> {
    const size = Math.min(Math.max(options.pageSize, 1), 1000);
    const { model: itemsModel, ...requestOptions } = options;
    const model = itemsModel === undefined ? PageEnvelope : PageEnvelope.extend({ items: z.array(itemsModel) });
    // The first page's count of pages stands: a server cannot lengthen the walk as it goes.
    let lastPage = Number.POSITIVE_INFINITY;
    for (let page = 1; ; page += 1) {
      const query = { ...options.query, page, size };
      const raw = await this.request<unknown>('GET', path, { ...requestOptions, query });
      const result = parseResponse(model, raw, `GET ${path}`);
      lastPage = Math.min(lastPage, result.total_pages);
      const items = result.items as unknown[];
      if (items.length > 0) yield items;
      if (items.length < size || page >= lastPage) return;
    }
  }

  /** Collects a list endpoint, up to `limit` items. Requests grow with pages, never with items. */
  list<M extends z.ZodType>(path: string, options: ModelOptions<M> & { limit?: number | null; pageSize?: number }): Promise<z.output<M>[]>;
  list<T>(path: string, options?: RequestOptions & { limit?: number | null; pageSize?: number }): Promise<T[]>;
  async list(
    path: string,
    options: RequestOptions & { limit?: number | null; pageSize?: number; model?: z.ZodType } = {},
  ): Promise<unknown[]> {
    const limit = options.limit ?? null;
    const pageSize = options.pageSize ?? (limit !== null ? limit : 1000);
    const items: unknown[] = [];
    for await (const page of this.pages<unknown>(path, { ...options, pageSize } as RequestOptions & { pageSize: number })) {
      items.push(...page);
      if (limit !== null && items.length >= limit) return items.slice(0, limit);
    }
    return items;
  }

  async request<T>(method: string, path: string, options: RequestOptions & { model?: z.ZodType } = {}): Promise<T> {
    if (this.accessToken === null && this.canLogin && !path.startsWith('/api/v1/login')) {
      await this.login(options.signal);
    }
    let response = await this.send(method, path, options);
    if (response.status === 401 && this.canLogin && !path.startsWith('/api/v1/login')) {
      // The stored or cached token was refused: log in again, once.
      this.accessToken = null;
      await this.login(options.signal);
      response = await this.send(method, path, options);
    }
    const text = response.body.toString('utf8');
    if (!response.ok) throw parseErrorBody(response.status, text, method, path);
    const value = parseBody(text);
    return (options.model === undefined ? value : parseResponse(options.model, value, `${method} ${path}`)) as T;
  }

  /** Raw bytes of an endpoint (artifact data), bounded like every other body. */
  async download(path: string, options: RequestOptions = {}): Promise<Buffer | null> {
    const response = await this.send('GET', path, options);
    return response.ok ? response.body : null;
  }

  private async login(signal: AbortSignal | undefined): Promise<string | null> {
    // Concurrent calls share one login: servers rate-limit /login.
    this.loginInFlight ??= this.doLogin(signal).finally(() => {
      this.loginInFlight = null;
    });
    return this.loginInFlight;
  }

  private async doLogin(signal: AbortSignal | undefined): Promise<string | null> {
    const c = this.options.credentials;
    const form = new URLSearchParams();
    if (c.apiKey !== undefined) {
      form.set('grant_type', 'zenml-api-key');
      form.set('password', c.apiKey);
    } else if (c.username !== undefined) {
      form.set('grant_type', 'password');
      form.set('username', c.username);
      form.set('password', c.password ?? '');
    } else {
      return null;
    }
    const response = await this.send('POST', '/api/v1/login', { signal }, form);
    const text = response.body.toString('utf8');
    if (!response.ok) {
      const error = parseErrorBody(response.status, text, 'POST', '/api/v1/login');
      // Never echo the form: it holds the key.
      throw new ZenmlApiError(
        error.status,
        error.exceptionClass,
        `Authentication with the Kitaru server at ${this.baseUrl} failed: ${error.detail}`,
        'POST',
        '/api/v1/login',
      );
    }
    const token = parseResponse(LoginResponse, parseBody(text), 'POST /api/v1/login').access_token;
    this.accessToken = token;
    return token;
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
    form?: URLSearchParams,
  ): Promise<RawResponse & { ok: boolean }> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.options.userAgent };
    if (this.accessToken !== null) headers.Authorization = `Bearer ${this.accessToken}`;
    let body: string | undefined;
    if (form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = form.toString();
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      // As ZenML's client sends a body (model_dump(mode='json') then json.dumps): exact ints, floats as floats, NaN and Infinity as null.
      body = stringifyJson(options.body, { nonFinite: 'null', floats: 'python' });
    }
    if (headers.Authorization !== undefined || form !== undefined) this.warnIfPlainHttp(url);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    this.stats.count += 1;
    this.stats.byPath.set(`${method} ${path}`, (this.stats.byPath.get(`${method} ${path}`) ?? 0) + 1);
    let current = { method, url, body };
    try {
      for (let hop = 0; ; hop += 1) {
        const transport = { verifySsl: this.options.verifySsl ?? true, maxBodyBytes: this.maxResponseBytes };
        const response = await exchange(this.agent, { ...current, headers, signal }, transport);
        if (REDIRECTS.has(response.status) && response.location !== undefined) {
          const target = new URL(response.location, current.url);
          if (target.origin !== url.origin) throw this.crossOrigin(method, path, target);
          if (hop >= MAX_REDIRECTS)
            throw new ZenmlConnectionError(
              `The Kitaru server at ${this.baseUrl} redirected ${method} ${path} more than ${MAX_REDIRECTS} times.`,
              this.baseUrl,
              false,
            );
          // As fetch and requests do: 303 (and 301/302 after a POST) become a GET without body.
          const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && current.method === 'POST');
          current = toGet ? { method: 'GET', url: target, body: undefined } : { ...current, url: target };
          if (toGet) delete headers['Content-Type'];
          continue;
        }
        if (response.contentType === 'text/html' || HTML_START.test(response.body.subarray(0, 64).toString('utf8'))) {
          throw new ZenmlConnectionError(
            `The server at ${this.baseUrl} answered ${method} ${path} with HTML, not the Kitaru API. ` +
              'Check the server URL (KITARU_SERVER_URL, or `kitaru login <url>`): it must be the Kitaru server itself, not a dashboard or proxy page.',
            this.baseUrl,
            false,
          );
        }
        return { ...response, ok: response.status >= 200 && response.status < 300 };
      }
    } catch (error) {
      if (error instanceof ZenmlConnectionError) throw error;
      if (timeout.aborted) {
        throw new ZenmlConnectionError(
          `The Kitaru server at ${this.baseUrl} did not answer ${method} ${path} within ${Math.round(timeoutMs / 1000)} s.`,
          this.baseUrl,
          true,
        );
      }
      if (options.signal?.aborted) throw error;
      const tls = tlsFailure(error, this.baseUrl);
      if (tls !== null) throw new ZenmlConnectionError(tls, this.baseUrl, false);
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ZenmlConnectionError(
        `Could not reach the Kitaru server at ${this.baseUrl} (${reason}). Is it running? ` +
          'Start a local one with `kitaru_start_local_server`, or check KITARU_SERVER_URL and your login.',
        this.baseUrl,
        false,
      );
    }
  }

  /** Credentials and tokens go to the configured origin only; a redirect elsewhere is refused, not followed. */
  private crossOrigin(method: string, path: string, target: URL): ZenmlConnectionError {
    return new ZenmlConnectionError(
      `The Kitaru server at ${this.baseUrl} redirected ${method} ${path} to another origin (${target.origin}). ` +
        'kitaru-mcp never sends credentials or requests to an origin other than the configured server, so the call was refused. ' +
        `If ${target.origin} is the real server, set KITARU_SERVER_URL (or \`kitaru login\`) to it.`,
      this.baseUrl,
      false,
    );
  }

  private warnIfPlainHttp(url: URL): void {
    if (this.warnedPlainHttp || url.protocol !== 'http:' || isLoopback(url)) return;
    this.warnedPlainHttp = true;
    const warn = this.options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
    warn(
      `kitaru-mcp: warning: sending credentials to ${url.origin} over plain http://, which anyone on the network path can read. ` +
        'Use an https:// server URL.',
    );
  }
}

/** JSON when the body is JSON, else the text (some endpoints answer a bare string). */
function parseBody(text: string): unknown {
  if (text === '') return undefined;
  // Numbers exactly as Python reads them: big ints kept, 2.0 stays a float, NaN/Infinity read.
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}
