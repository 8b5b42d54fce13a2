#!/usr/bin/env node
// Prints every test case by file (describe > test), without running anything,
// so a change to the suite can be checked for lost coverage:
//   node scripts/list-tests.mjs > before.txt; ...; node scripts/list-tests.mjs | diff before.txt -
// `--counts` prints one line per file with its number of cases. Names are read
// from the source (test/describe/it with a literal first argument); a case
// built in a loop is listed once, with its template text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const counts = process.argv.includes('--counts');

function walk(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const file = path.join(dir, name);
      if (name === 'node_modules') return [];
      return statSync(file).isDirectory() ? walk(file) : name.endsWith('.test.ts') ? [file] : [];
    })
    .sort();
}

// test('name' / it("name" / describe(`name`, with the quote matched to its own kind.
const CALL = /\b(describe|test|it)(?:\.(?:skip|only|todo))?\(\s*(['"`])((?:\\.|(?!\2).)*)\2/gs;

let total = 0;
for (const file of walk(path.join(root, 'test'))) {
  const rel = path.relative(root, file);
  const src = readFileSync(file, 'utf8');
  const names = [];
  for (const m of src.matchAll(CALL)) names.push(`${m[1] === 'describe' ? 'describe' : 'test'} ${m[3].replace(/\s+/g, ' ')}`);
  const cases = names.filter((n) => n.startsWith('test ')).length;
  total += cases;
  if (counts) console.log(`${String(cases).padStart(4)}  ${rel}`);
  else for (const n of names) console.log(`${rel}: ${n}`);
}
if (counts) console.log(`${String(total).padStart(4)}  total`);
