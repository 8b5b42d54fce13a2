// Secret creation, as Python's kitaru.secrets.create_secret does it, returning
// metadata only. Secret values pass through this module once, into the request
// body, and are never part of any message, result or log line: error texts
// name keys, never values, and server answers are read for keys alone.
import { ZenmlApiError, ZenmlConnectionError } from '../http/errors.ts';
import { pyStr } from '../compat/python.ts';

export { pyStr };
import { KitaruBackendError, KitaruRuntimeError, KitaruUsageError } from './errors.ts';
import type { KitaruRuntime } from './runtime.ts';
import { SecretResponse as SecretResponseModel } from './zenml/models.ts';

const SECRET_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface SecretSummaryPayload {
  id: string;
  name: string;
  visibility: 'private' | 'public';
  keys: string[];
  has_missing_values: boolean;
}

function normalizeName(nameOrId: string): string {
  const normalized = nameOrId.trim();
  if (!normalized) throw new KitaruUsageError('Secret name or ID cannot be empty.');
  return normalized;
}

/** Python's _normalize_secret_write_values: same checks, same order, same words. */
function normalizeValues(values: unknown): Record<string, string> {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new KitaruUsageError('Secret values must be provided as a mapping.');
  }
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length === 0) throw new KitaruUsageError('Provide at least one secret value.');
  const normalized: Record<string, string> = {};
  for (const [rawKey, rawValue] of entries) {
    const key = rawKey.trim();
    if (!SECRET_KEY.test(key)) {
      throw new KitaruUsageError(
        `Invalid secret key \`${rawKey}\`. Use env-var style names (letters, numbers, underscores; cannot start with a number).`,
      );
    }
    if (rawValue === null || rawValue === undefined) throw new KitaruUsageError(`Secret value for key \`${key}\` cannot be None.`);
    const value = pyStr(rawValue);
    if (value === '') throw new KitaruUsageError(`Secret value for key \`${key}\` cannot be empty.`);
    if (Object.hasOwn(normalized, key)) throw new KitaruUsageError(`Duplicate secret key \`${key}\`.`);
    normalized[key] = value;
  }
  return normalized;
}

interface SecretResponse {
  id?: unknown;
  name?: unknown;
  body?: { private?: unknown; values?: Record<string, unknown> | null } | null;
}

/**
 * Why the server refused, from what is known to be safe: a server's text can
 * quote the request (pydantic echoes inputs, cut or escaped), so no part of it
 * is shown; masking the values inside it would only point at them. Our own
 * texts (connection failures) hold no values and are shown.
 */
function safeFailureText(error: unknown): string {
  if (error instanceof ZenmlApiError) {
    const what = error.exceptionClass === null ? `HTTP ${error.status}` : `HTTP ${error.status}, ${error.exceptionClass}`;
    return `the server refused it (${what}); its message is not shown, as it may quote a secret value.`;
  }
  if (error instanceof ZenmlConnectionError) return error.message;
  return `${error instanceof Error ? error.name : 'error'} (its message is not shown, as it may quote a secret value).`;
}

export async function createSecret(
  runtime: KitaruRuntime,
  request: { name: string; values: unknown; private: boolean },
  options: { signal?: AbortSignal } = {},
): Promise<SecretSummaryPayload> {
  const name = normalizeName(request.name);
  const values = normalizeValues(request.values);
  const api = runtime.api(undefined, { guardrails: false });
  let response: SecretResponse;
  try {
    response = await api.post('/api/v1/secrets', {
      model: SecretResponseModel,
      body: { name, private: request.private, values },
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof ZenmlApiError && (error.status === 409 || /ExistsError$/.test(error.exceptionClass ?? ''))) {
      throw new KitaruRuntimeError(`Secret \`${name}\` already exists.`);
    }
    throw new KitaruBackendError(`Failed to create secret \`${name}\`: ${safeFailureText(error)}`);
  }
  const responseName = response.name === null || response.name === undefined ? '' : String(response.name).trim();
  if (!responseName) throw new KitaruBackendError('Backend returned a secret without a readable name.');
  const id = response.id === null || response.id === undefined ? '' : String(response.id);
  if (!id) throw new KitaruBackendError(`Backend returned secret \`${responseName}\` without an ID.`);
  const storedValues = response.body?.values ?? {};
  return {
    id,
    name: responseName,
    visibility: response.body?.private === true ? 'private' : 'public',
    keys: Object.keys(storedValues).sort(),
    has_missing_values: Object.values(storedValues).some((value) => value === null),
  };
}
