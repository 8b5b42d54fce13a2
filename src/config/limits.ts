// Every size limit the user can set, in one place, so messages and the README
// name the same settings.

/** Bound on every response body read from the Kitaru server, in MiB. */
export const MAX_RESPONSE_SETTING = 'KITARU_MCP_MAX_RESPONSE_MIB';
export const DEFAULT_MAX_RESPONSE_MIB = 64;
