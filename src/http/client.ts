// One small HTTP client for a ZenML server's REST API (/api/v1): timeouts on
// every request, bearer auth from a stored token or an API key exchanged at
// /login (re-done once on a 401), pagination, and error bodies turned into
// ZenmlApiError. It never sends an Origin header: the server only mints
// CSRF-bound session tokens for requests that carry one.
import { type Credentials, tokenIsFresh } from '../config/connection.ts';
import { parseJson, stringifyJson } from '../compat/json.ts';
import { ZenmlApiError, ZenmlConnectionError, parseErrorBody } from './errors.ts';

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface Page<T> {
  index: number;
  max_size: number;
  total_pages: number;
  total: number;
  items: T[];
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Overrides the client's timeout for one slow call. */
  timeoutMs?: number;
}

export interface HttpClientOptions {
  baseUrl: string;
  credentials: Credentials;
  timeoutMs: number;
  userAgent: string;
}

/** Counts requests per client; tests use it to prove a tool makes no N+1 calls. */
export interface RequestStats {
  count: number;
  byPath: Map<string, number>;
}

export class ZenmlHttpClient {
  readonly baseUrl: string;
  readonly stats: RequestStats = { count: 0, byPath: new Map() };
  private accessToken: string | null;
  private loginInFlight: Promise<string | null> | null = null;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const token = options.credentials.apiToken;
    this.accessToken = token !== undefined && tokenIsFresh(token) ? token.accessToken : null;
  }

  /** True when we hold something to log in with (so a 401 is worth one retry). */
  private get canLogin(): boolean {
    const c = this.options.credentials;
    return c.apiKey !== undefined || c.username !== undefined;
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, options);
  }
  put<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, options);
  }
  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Yields the items of a list endpoint one page at a time; a caller that has
   * enough stops early. It stops at the last page: ZenML refuses a page past
   * it ("Invalid page").
   */
  async *pages<T>(path: string, options: RequestOptions & { pageSize: number }): AsyncGenerator<T[]> {
    const size = Math.min(Math.max(options.pageSize, 1), 1000);
    for (let page = 1; ; page += 1) {
      const result = await this.get<Page<T>>(path, { ...options, query: { ...options.query, page, size } });
      const items = result.items ?? [];
      if (items.length > 0) yield items;
      if (items.length < size || page >= (result.total_pages ?? page)) return;
    }
  }

  /** Collects a list endpoint, up to `limit` items. Requests grow with pages, never with items. */
  async list<T>(path: string, options: RequestOptions & { limit?: number | null; pageSize?: number } = {}): Promise<T[]> {
    const limit = options.limit ?? null;
    const pageSize = options.pageSize ?? (limit !== null ? limit : 1000);
    const items: T[] = [];
    for await (const page of this.pages<T>(path, { ...options, pageSize })) {
      items.push(...page);
      if (limit !== null && items.length >= limit) return items.slice(0, limit);
    }
    return items;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
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
    const text = await response.text();
    if (!response.ok) throw parseErrorBody(response.status, text, method, path);
    if (text === '') return undefined as T;
    return this.parseBody(text) as T;
  }

  /**
   * A body as Python reads it: numbers exact (big ints, 2.0 stays a float,
   * NaN/Infinity read). HTML means the URL is some other web server.
   */
  private parseBody(text: string): unknown {
    try {
      return parseJson(text);
    } catch {
      if (/^\s*</.test(text)) {
        throw new ZenmlConnectionError(
          `The server at ${this.baseUrl} answered with HTML, not the Kitaru API. Check KITARU_SERVER_URL (or \`kitaru login\`): it must be the Kitaru server's address.`,
          this.baseUrl,
          false,
        );
      }
      return text;
    }
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
    const text = await response.text();
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
    const body = this.parseBody(text) as { access_token?: unknown } | string;
    const token = typeof body === 'object' && body !== null && typeof body.access_token === 'string' ? body.access_token : null;
    this.accessToken = token;
    return token;
  }

  private async send(method: string, path: string, options: RequestOptions, form?: URLSearchParams): Promise<Response> {
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
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    this.stats.count += 1;
    this.stats.byPath.set(`${method} ${path}`, (this.stats.byPath.get(`${method} ${path}`) ?? 0) + 1);
    try {
      return await fetch(url, { method, headers, body, signal, redirect: 'follow' });
    } catch (error) {
      if (timeout.aborted) {
        throw new ZenmlConnectionError(
          `The Kitaru server at ${this.baseUrl} did not answer ${method} ${path} within ${Math.round(timeoutMs / 1000)} s.`,
          this.baseUrl,
          true,
        );
      }
      if (options.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ZenmlConnectionError(
        `Could not reach the Kitaru server at ${this.baseUrl} (${reason}). Is it running? ` +
          'Start a local one with `kitaru_start_local_server`, or check KITARU_SERVER_URL and your login.',
        this.baseUrl,
        false,
      );
    }
  }
}
