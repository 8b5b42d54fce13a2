// The project version, stamped into the bundle by build.mjs. Under tsx (tests
// running the sources) there is no stamp, so we read package.json instead.
import { readFileSync } from 'node:fs';

declare const __KITARU_MCP_VERSION__: string | undefined;

function readPackageVersion(): string {
  try {
    const url = new URL('../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-dev';
  }
}

export const VERSION: string = typeof __KITARU_MCP_VERSION__ === 'string' ? __KITARU_MCP_VERSION__ : readPackageVersion();
