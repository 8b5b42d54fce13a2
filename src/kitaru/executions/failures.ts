// Python's _map_failure_info: a failure's message, exception type, traceback
// and origin (user code, runtime, backend, divergence), from the status reason
// and the exception info ZenML stores.
import { pySplitLines, pyStrip } from '../../compat/python.ts';
import type { ExceptionInfoModel } from '../zenml/runs.ts';

const DIVERGENCE_HINTS = ['diverg', 'durable call sequence', 'replay mismatch'];
const RUNTIME_HINTS = [
  'serialize',
  'serialization',
  'deserialize',
  'materializ',
  'hydrate',
  'reconstruct',
  'materializer',
  'kitaruruntimeerror',
  'could not persist the flow return value',
  'artifact save failed',
];
const BACKEND_HINTS = ['backend communication', 'connection refused', 'transport error', 'failed to fetch', 'api unavailable'];

type FailureOrigin = 'user_code' | 'runtime' | 'backend' | 'divergence' | 'unknown';

function classifyFailureOrigin(statusReason: string | null, traceback: string | null, fallback: FailureOrigin): FailureOrigin {
  const text = [statusReason ?? '', traceback ?? ''].join('\n').toLowerCase();
  if (DIVERGENCE_HINTS.some((hint) => text.includes(hint))) return 'divergence';
  if (RUNTIME_HINTS.some((hint) => text.includes(hint))) return 'runtime';
  if (BACKEND_HINTS.some((hint) => text.includes(hint))) return 'backend';
  return fallback;
}

function tracebackLastLine(traceback: string | null): string | null {
  if (!traceback) return null;
  const lines = pySplitLines(traceback);
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const stripped = pyStrip(lines[i]!);
    if (stripped) return stripped;
  }
  return null;
}

function tracebackExceptionType(traceback: string | null): string | null {
  const tail = tracebackLastLine(traceback);
  if (tail === null) return null;
  const match = /^([A-Za-z_][A-Za-z0-9_.]*)\s*:/.exec(tail);
  return match ? match[1]! : null;
}

export interface FailurePayload {
  message: string;
  exception_type: string | null;
  traceback: string | null;
  origin: FailureOrigin;
}

export function mapFailure(
  statusReason: string | null,
  exceptionInfo: ExceptionInfoModel,
  defaultOrigin: FailureOrigin,
  fallbackMessage: string | null,
): FailurePayload | null {
  const traceback = exceptionInfo?.traceback ?? null;
  const message = statusReason || tracebackLastLine(traceback) || fallbackMessage;
  if (message === null || message === undefined) return null;
  return {
    message,
    exception_type: tracebackExceptionType(traceback),
    traceback,
    origin: classifyFailureOrigin(statusReason, traceback, defaultOrigin),
  };
}
