// Secret creation, as Python's kitaru.secrets.create_secret does it, returning
// metadata only. Secret values pass through this module once, into the request
// body, and are never part of any message, result or log line: error texts
// name keys, never values, and server answers are read for keys alone.
import { ZenmlApiError } from '../http/errors.ts';
import { pyReprValue } from '../util/python-text.ts';
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

/** Python's str(value) for a JSON value (what Kitaru stores for non-string secret values). */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyReprValue(value);
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

/** The server's message for a failure, with any submitted value masked, should a server ever echo one. */
function safeFailureText(error: unknown, values: Record<string, string>): string {
  let text = error instanceof ZenmlApiError ? error.pythonText() : error instanceof Error ? error.message : String(error);
  for (const value of Object.values(values)) {
    if (value.length > 0) text = text.split(value).join('***');
  }
  return text;
}

export async function createSecret(
  runtime: KitaruRuntime,
  request: { name: string; values: unknown; private: boolean },
  options: { signal?: AbortSignal } = {},
): Promise<SecretSummaryPayload> {
  const name = normalizeName(request.name);
  const values = normalizeValues(request.values);
  const api = runtime.api();
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
    throw new KitaruBackendError(`Failed to create secret \`${name}\`: ${safeFailureText(error, values)}`);
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
