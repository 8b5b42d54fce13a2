// Under tsx (tests, `node --import tsx src/main.ts`) Node has no loader for
// `.py`; the bundle has esbuild's text loader instead. This registers a tiny
// module hook that makes `import('./x.py')` give the file's text. It must be
// registered before the first such import is resolved, hence dynamic imports.
import { register } from 'node:module';

const HOOK = `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.py')) {
    const text = readFileSync(fileURLToPath(url), 'utf8');
    return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
  }
  return next(url, context);
}
`;

let registered = false;

export function registerPyTextHook(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
}
