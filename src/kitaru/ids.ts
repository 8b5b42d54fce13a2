// What counts as an id, in the two forms Kitaru and ZenML tell apart.

/** Every form Python's `uuid.UUID(text)` accepts: hex with optional dashes, braces, a `urn:uuid:` prefix. */
export const PY_UUID_PATTERN = /^(?:urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

/** A UUID as 32 hex digits with optional dashes: the form that goes into a REST path or a config file as it is. */
export const PLAIN_UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
