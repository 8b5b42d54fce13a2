// Kitaru's exception classes, so a failure reads exactly as Python's would.
// The MCP boundary shows only the message (Python's str(exc)); the class is kept
// for callers that branch on the kind of failure.
import { ZenmlApiError, ZenmlConnectionError } from '../http/errors.ts';
import { ZenmlResponseShapeError } from '../http/parse.ts';

export class KitaruError extends Error {
  override name = 'KitaruError';
}
/** Bad input from the caller. (In Python also a ValueError.) */
export class KitaruUsageError extends KitaruError {
  override name = 'KitaruUsageError';
}
/** The thing exists but is in the wrong state for the operation. */
export class KitaruStateError extends KitaruError {
  override name = 'KitaruStateError';
}
export class KitaruRuntimeError extends KitaruError {
  override name = 'KitaruRuntimeError';
}
/** The server or store failed or could not be reached. */
export class KitaruBackendError extends KitaruRuntimeError {
  override name = 'KitaruBackendError';
}
export class KitaruLogRetrievalError extends KitaruBackendError {
  override name = 'KitaruLogRetrievalError';
}
export class KitaruWaitValidationError extends KitaruUsageError {
  override name = 'KitaruWaitValidationError';
}
/** Python's plain ValueError (tool-level argument checks). */
export class ValueError extends KitaruError {
  override name = 'ValueError';
}
/** Python's LookupError ("No executions found ..."). */
export class LookupError extends KitaruError {
  override name = 'LookupError';
}

export { pyRepr } from '../compat/python.ts';
import { pyRepr as pyStrRepr } from '../compat/python.ts';

/** str(exc) of the exception Python's ZenML client re-raises for a server failure; a message otherwise. */
export function serverErrorText(error: unknown): string {
  if (error instanceof ZenmlApiError) return error.pythonText();
  return error instanceof Error ? error.message : String(error);
}

/**
 * The same, where Python's text passes through `str()` of a KeyError, which is
 * the repr of its message (Python's quote choice and escaping).
 */
export function pythonErrorText(error: unknown): string {
  if (error instanceof ZenmlApiError && (error.exceptionClass === 'KeyError' || error.exceptionClass === 'ZenKeyError')) {
    return pyStrRepr(error.detail);
  }
  return serverErrorText(error);
}

/**
 * What a failure reads as to the client, for the failures Kitaru knows:
 * Kitaru errors show their message unchanged; server answers (ZenmlApiError)
 * the server's own message, as Python prints it; an unreachable or slow server
 * says which URL and what to do; a server answering out of shape is the
 * server's failure, reported as such, not our bug. Undefined for anything else.
 */
export function describeKitaruError(error: unknown): string | undefined {
  if (error instanceof KitaruError || error instanceof ZenmlConnectionError || error instanceof ZenmlResponseShapeError)
    return error.message;
  if (error instanceof ZenmlApiError) return error.pythonText();
  return undefined;
}
