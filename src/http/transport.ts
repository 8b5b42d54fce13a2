// One HTTP exchange with the Kitaru server over node:http / node:https. We do
// not use the built-in fetch: node 20's fetch takes TLS settings only through an
// undici dispatcher we cannot import without a dependency, and it buffers bodies
// we must bound. Here every body is read as a stream and cut off at a limit,
// redirects are never followed blindly, and TLS is configured as Python's
// `requests` is (verify off, or one CA bundle that replaces the default roots).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { MAX_RESPONSE_SETTING } from '../config/limits.ts';
import { ZenmlConnectionError } from './errors.ts';

/** Python's verify_ssl: true (system roots), false (no check), or a CA bundle (a path, or the PEM text itself). */
export type VerifySsl = boolean | string;

export interface TransportOptions {
  verifySsl: VerifySsl;
  /** Responses past this many bytes are refused. */
  maxBodyBytes: number;
}

export interface RawRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
}

export interface RawResponse {
  status: number;
  /** Lower-cased media type without parameters, '' when absent. */
  contentType: string;
  location: string | undefined;
  body: Buffer;
}

/** A body larger than the configured limit (a connection-level failure: the call cannot go on). */
export class ResponseTooLargeError extends ZenmlConnectionError {
  override name = 'ResponseTooLargeError';
  constructor(
    url: string,
    readonly bytes: number,
    readonly limit: number,
    declared: boolean,
  ) {
    super(
      `The server at ${url} answered with ${declared ? '' : 'more than '}${formatBytes(bytes)}, over the ` +
        `${formatBytes(limit)} a response may have. Raise ${MAX_RESPONSE_SETTING} (MiB) if the server is right, ` +
        'or check the server URL.',
      url,
      false,
    );
  }
}

/** A CA bundle we could not use. */
export class TlsSetupError extends ZenmlConnectionError {
  override name = 'TlsSetupError';
  constructor(message: string) {
    super(message, '', false);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB (${bytes} bytes)`;
  return `${bytes} bytes`;
}

/** The agent for one client: keep-alive (as fetch does) plus the TLS settings. */
export function makeAgent(url: URL, verifySsl: VerifySsl): http.Agent {
  if (url.protocol !== 'https:') return new http.Agent({ keepAlive: true });
  if (verifySsl === false) return new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  if (verifySsl === true) return new https.Agent({ keepAlive: true });
  return new https.Agent({ keepAlive: true, ca: readCaBundle(verifySsl) });
}

/** Python accepts a path to a CA bundle or the bundle's PEM text itself. */
function readCaBundle(value: string): string {
  if (value.includes('-----BEGIN CERTIFICATE-----')) return value;
  try {
    const text = fs.readFileSync(value, 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
      throw new TlsSetupError(`ZENML_STORE_VERIFY_SSL names ${value}, which holds no PEM certificate.`);
    }
    return text;
  } catch (error) {
    if (error instanceof TlsSetupError) throw error;
    throw new TlsSetupError(
      `ZENML_STORE_VERIFY_SSL is neither true/false nor a readable CA bundle: ${value} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`,
    );
  }
}

/** Sends one request (no redirects followed) and reads the body up to the limit. */
export async function exchange(agent: http.Agent, request: RawRequest, options: TransportOptions): Promise<RawResponse> {
  // A kept-alive socket the server closed while it sat idle (uvicorn closes them
  // after 5 s) fails with ECONNRESET before the request reached the server; Node's
  // documentation says to send it again. Every idle socket may be stale, so a few tries.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await exchangeOnce(agent, request, options);
    } catch (error) {
      if (!(error instanceof StaleSocketError)) throw error;
      if (attempt >= 4) throw error.original;
    }
  }
}

class StaleSocketError extends Error {
  constructor(readonly original: unknown) {
    super((original as Error).message);
  }
}

function exchangeOnce(agent: http.Agent, request: RawRequest, options: TransportOptions): Promise<RawResponse> {
  const { url, signal } = request;
  const module = url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
    const req = module.request(url, { method: request.method, headers, agent });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let responded = false;
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!responded && req.reusedSocket && error.code === 'ECONNRESET') fail(new StaleSocketError(error));
      else fail(error);
    });
    req.on('response', (res) => {
      responded = true;
      const status = res.statusCode ?? 0;
      const contentType = (String(res.headers['content-type'] ?? '').split(';')[0] ?? '').trim().toLowerCase();
      const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
      const declared = Number(res.headers['content-length']);
      const origin = `${url.origin}${url.pathname}`;
      if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
        fail(new ResponseTooLargeError(origin, declared, options.maxBodyBytes, true));
        return;
      }
      // HTML is never the API: do not read a page we will not use.
      if (contentType === 'text/html' || (status >= 300 && status < 400 && location !== undefined)) {
        res.resume();
        settled = true;
        signal.removeEventListener('abort', onAbort);
        req.destroy();
        resolve({ status, contentType, location, body: Buffer.alloc(0) });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBodyBytes) {
          fail(new ResponseTooLargeError(origin, size, options.maxBodyBytes, false));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the connection closed before the response was complete')));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve({ status, contentType, location, body: Buffer.concat(chunks, size) });
      });
    });
    req.end(request.body);
  });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The message for a certificate we refused, or null when `error` is something else. */
export function tlsFailure(error: unknown, baseUrl: string): string | null {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !TLS_CODES.has(code)) return null;
  return (
    `Could not verify the TLS certificate of the Kitaru server at ${baseUrl} (${code}: ${(error as Error).message}). ` +
    'If the server uses a private CA, set ZENML_STORE_VERIFY_SSL to the path of its CA bundle; ' +
    'ZENML_STORE_VERIFY_SSL=false turns verification off (not recommended).'
  );
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|\[::ffff:127(?:\.\d{1,3}){3}\])$/i;

/** True for hosts whose traffic never leaves this machine. */
export function isLoopback(url: URL): boolean {
  return LOOPBACK.test(url.hostname) || url.hostname.endsWith('.localhost');
}
