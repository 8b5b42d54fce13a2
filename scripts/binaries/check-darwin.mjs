#!/usr/bin/env node
// What can be checked of a macOS SEA binary without a Mac: the right CPU, the
// NODE_SEA segment postject adds (without it node crashes at boot), the blob
// holding our bundle, the fuse flipped, and a valid ad-hoc signature.
//   node check-darwin.mjs [--bundle dist/kitaru-mcp.cjs] BINARY...
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMachO, verifyMachO } from './macho-sign.mjs';

const CPU = { 16777223: 'x86_64', 16777228: 'arm64' };
const FUSE_ON = 'NODE_SEA_FUSE_' + 'fce680ab2cc467b6e072b8b5df1996b2:1';

export function checkDarwinSea(buf, { bundle, arch } = {}) {
  const errors = [];
  const m = parseMachO(buf);
  const cpu = CPU[m.cputype] ?? `0x${m.cputype.toString(16)}`;
  if (arch && cpu !== arch) errors.push(`CPU is ${cpu}, expected ${arch}`);
  const seg = m.segments.find((s) => s.name === 'NODE_SEA');
  const sect = seg?.sections.find((s) => s.name === '__NODE_SEA_BLOB');
  if (!sect) errors.push('no NODE_SEA/__NODE_SEA_BLOB section');
  else if (bundle) {
    // The blob is a small header followed by the main script verbatim.
    const blob = buf.subarray(sect.offset, sect.offset + sect.size);
    const tail = bundle.subarray(Math.max(0, bundle.length - 4096));
    if (sect.size < bundle.length || !blob.includes(tail)) errors.push('the blob does not hold this bundle');
  }
  const linkedit = m.segments.at(-1);
  if (linkedit?.name !== '__LINKEDIT') errors.push('__LINKEDIT is not the last segment');
  if (!buf.includes(FUSE_ON)) errors.push('SEA fuse not flipped');
  const sig = verifyMachO(buf);
  errors.push(...sig.errors);
  return { ok: errors.length === 0, errors, cpu, blobSize: sect?.size ?? 0, signature: sig };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const bi = args.indexOf('--bundle');
  const bundle = bi >= 0 ? readFileSync(args.splice(bi, 2)[1]) : undefined;
  let bad = 0;
  for (const f of args) {
    const arch = /arm64/.test(f) ? 'arm64' : /x64/.test(f) ? 'x86_64' : undefined;
    const r = checkDarwinSea(readFileSync(f), { bundle, arch });
    if (!r.ok) bad++;
    const s = r.signature;
    process.stdout.write(
      r.ok
        ? `${path.basename(f)}: ok (${r.cpu}, blob ${r.blobSize} B, ${s.pages} page hashes match, cdhash ${s.cdhash})\n`
        : `${path.basename(f)}: FAILED: ${r.errors.join('; ')}\n`,
    );
  }
  process.exit(bad || !args.length ? 1 : 0);
}
