// Helper programs are real .py files, imported as text: esbuild's `.py` text
// loader in the bundle, src/python/py-text-hook.ts under tsx.
declare module '*.py' {
  const source: string;
  export default source;
}
