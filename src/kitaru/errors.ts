// Kitaru's exception classes, so a failure reads exactly as Python's would.
// The MCP boundary shows only the message (Python's str(exc)); the class is kept
// for callers that branch on the kind of failure.

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
