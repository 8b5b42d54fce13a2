// How a ZenML server says no, turned into one error type the kitaru layer reads.
import { pyRepr } from '../compat/python.ts';

/** A non-2xx answer. `exceptionClass` is the server's class name from `{detail: [class, message]}`. */
export class ZenmlApiError extends Error {
  override name = 'ZenmlApiError';
  constructor(
    readonly status: number,
    readonly exceptionClass: string | null,
    readonly detail: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(exceptionClass === null ? detail : `${exceptionClass}: ${detail}`);
  }

  /**
   * The text Python shows for the same failure: ZenML re-raises the server's
   * class, and str(KeyError(msg)) is repr(msg), quotes included.
   */
  pythonText(): string {
    if (this.exceptionClass === 'KeyError' || this.exceptionClass === 'ZenKeyError') return pyRepr(this.detail);
    return this.detail;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** The server could not be reached, or did not answer in time. */
export class ZenmlConnectionError extends Error {
  override name = 'ZenmlConnectionError';
  constructor(
    message: string,
    readonly url: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/** Reads `{detail}` in every shape the server uses: [class, msg], a string, or FastAPI's list of dicts. */
export function parseErrorBody(status: number, body: string, method: string, path: string): ZenmlApiError {
  let detail: unknown = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'detail' in parsed) detail = (parsed as { detail: unknown }).detail;
  } catch {
    // Not JSON: keep the raw text.
  }
  if (Array.isArray(detail) && detail.length === 2 && typeof detail[0] === 'string' && typeof detail[1] === 'string') {
    return new ZenmlApiError(status, detail[0], detail[1], method, path);
  }
  if (Array.isArray(detail)) {
    const parts = detail.map((item) => {
      if (item !== null && typeof item === 'object') {
        const record = item as { loc?: unknown[]; msg?: string };
        const loc = Array.isArray(record.loc) ? record.loc.join('.') : '';
        return loc ? `${loc}: ${record.msg ?? ''}` : String(record.msg ?? JSON.stringify(item));
      }
      return String(item);
    });
    return new ZenmlApiError(status, null, parts.join('; '), method, path);
  }
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  return new ZenmlApiError(status, null, text.trim() === '' ? `HTTP ${status}` : text, method, path);
}
