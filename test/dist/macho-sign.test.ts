// The ad-hoc Mach-O signer and its verifier: on a synthetic Mach-O (always),
// on the built macOS binaries (when built), and against Go's linker, which
// writes the same signature form (when a Go toolchain is around).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { checkDarwinSea } from '../../scripts/binaries/check-darwin.mjs';
import { parseMachO, signMachO, verifyMachO } from '../../scripts/binaries/macho-sign.mjs';
import { binary, bundle } from './dist-files.ts';

const CPU_ARM64 = 0x0100000c;

/** header + __TEXT (one __text section at 0x3000) + __LINKEDIT, unsigned. */
function syntheticMachO({ headerRoom = true } = {}): Buffer {
  const textSize = 0x4000;
  const linkeditSize = 0x123;
  const buf = Buffer.alloc(textSize + linkeditSize);
  buf.writeUInt32LE(0xfeedfacf, 0);
  buf.writeUInt32LE(CPU_ARM64, 4);
  buf.writeUInt32LE(2, 12); // MH_EXECUTE
  buf.writeUInt32LE(2, 16);
  buf.writeUInt32LE(152 + 72, 20);
  let off = 32;
  const segment = (name: string, vmaddr: number, fileoff: number, filesize: number, nsects: number) => {
    buf.writeUInt32LE(0x19, off);
    buf.writeUInt32LE(72 + nsects * 80, off + 4);
    buf.write(name, off + 8, 'latin1');
    buf.writeBigUInt64LE(BigInt(vmaddr), off + 24);
    buf.writeBigUInt64LE(BigInt(filesize), off + 32);
    buf.writeBigUInt64LE(BigInt(fileoff), off + 40);
    buf.writeBigUInt64LE(BigInt(filesize), off + 48);
    buf.writeUInt32LE(nsects, off + 64);
    off += 72;
  };
  segment('__TEXT', 0x100000000, 0, textSize, 1);
  const textSection = headerRoom ? 0x3000 : 32 + 152 + 72 + 8; // leave 8 bytes: too few for a load command
  buf.write('__text', off, 'latin1');
  buf.write('__TEXT', off + 16, 'latin1');
  buf.writeBigUInt64LE(BigInt(0x4000 - textSection), off + 40);
  buf.writeUInt32LE(textSection, off + 48);
  off += 80;
  segment('__LINKEDIT', 0x100004000, textSize, linkeditSize, 0);
  for (let i = textSection; i < buf.length; i++) buf[i] = (i * 31) & 0xff;
  return buf;
}

describe('macho-sign on a synthetic Mach-O', () => {
  test('signs, and the verifier accepts every page', () => {
    const signed = signMachO(syntheticMachO(), { id: 'synthetic' });
    const r = verifyMachO(signed);
    assert.deepEqual(r.errors, []);
    assert.equal(r.ok, true);
    assert.equal(r.identifier, 'synthetic');
    const sigOff = 0x4000 + 0x130; // __LINKEDIT end, 16-byte aligned
    assert.equal(r.pages, Math.ceil(sigOff / 4096)); // the last page is partial
    const m = parseMachO(signed);
    assert.equal(m.ncmds, 3);
    assert.deepEqual(m.codeSignature, { cmdOffset: 32 + 224, dataoff: sigOff, datasize: signed.length - sigOff });
    const linkedit = m.segments[1]!;
    assert.equal(linkedit.fileoff + linkedit.filesize, signed.length);
    assert.equal(linkedit.vmsize, 0x4000); // arm64 pages are 16 KiB
  });

  test('writes the linker-signed CodeDirectory form', () => {
    const signed = signMachO(syntheticMachO(), { id: 'x' });
    const sig = signed.subarray(parseMachO(signed).codeSignature!.dataoff);
    assert.equal(sig.readUInt32BE(0), 0xfade0cc0);
    assert.equal(sig.readUInt32BE(8), 1, 'one blob');
    const cd = sig.subarray(sig.readUInt32BE(16));
    assert.equal(cd.readUInt32BE(0), 0xfade0c02);
    assert.equal(cd.readUInt32BE(8), 0x20400, 'version');
    assert.equal(cd.readUInt32BE(12), 0x20002, 'CS_ADHOC|CS_LINKER_SIGNED');
    assert.equal(cd.readUInt32BE(24), 0, 'no special slots');
    assert.equal(cd[36], 32);
    assert.equal(cd[37], 2, 'SHA-256');
    assert.equal(cd[39], 12, '4 KiB pages');
    assert.equal(cd.readBigUInt64BE(64), 0n, 'execSegBase = __TEXT fileoff');
    assert.equal(cd.readBigUInt64BE(72), 0x4000n, 'execSegLimit = __TEXT filesize');
    assert.equal(cd.readBigUInt64BE(80), 1n, 'CS_EXECSEG_MAIN_BINARY');
  });

  test('re-signing is idempotent and replaces the old signature in place', () => {
    const once = signMachO(syntheticMachO(), { id: 'x' });
    assert.ok(signMachO(once, { id: 'x' }).equals(once));
    const renamed = signMachO(once, { id: 'a-much-longer-identifier' });
    assert.equal(parseMachO(renamed).ncmds, 3);
    assert.equal(verifyMachO(renamed).ok, true);
  });

  test('the verifier names the page that was changed', () => {
    const signed = signMachO(syntheticMachO(), { id: 'x' });
    signed[0x3000 + 5]! ^= 1;
    const r = verifyMachO(signed);
    assert.equal(r.ok, false);
    assert.deepEqual(r.badPages, [3]);
  });

  test('the verifier rejects an unsigned file and a stale codeLimit', () => {
    assert.match(verifyMachO(syntheticMachO()).errors.join(), /no LC_CODE_SIGNATURE/);
    const signed = signMachO(syntheticMachO(), { id: 'x' });
    const m = parseMachO(signed);
    const cd = m.codeSignature!.dataoff + 20;
    signed.writeUInt32BE(signed.readUInt32BE(cd + 32) - 16, cd + 32);
    assert.match(verifyMachO(signed).errors.join(), /codeLimit/);
  });

  test('refuses when the header has no room for the load command', () => {
    assert.throws(() => signMachO(syntheticMachO({ headerRoom: false })), /no room/);
  });

  test('refuses what it cannot sign', () => {
    assert.throws(() => signMachO(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(64))), /not a 64-bit/);
    const fat = Buffer.alloc(64);
    fat.writeUInt32BE(0xcafebabe, 0);
    assert.throws(() => signMachO(fat), /fat/);
  });
});

describe('macho-sign on the built macOS binaries', () => {
  for (const target of ['darwin-arm64', 'darwin-x64']) {
    const file = binary(target);
    const skip = existsSync(file) ? false : `${target} not built; run: node build.mjs --binaries`;
    test(`${target}: SEA structure and every page hash`, { skip }, () => {
      const buf = readFileSync(file);
      // A bundle rebuilt since the binaries (plain `node build.mjs`) is not in them.
      const sameBuild = existsSync(bundle) && statSync(bundle).mtimeMs <= statSync(file).mtimeMs;
      const r = checkDarwinSea(buf, {
        arch: target.endsWith('arm64') ? 'arm64' : 'x86_64',
        bundle: sameBuild ? readFileSync(bundle) : undefined,
      });
      assert.deepEqual(r.errors, []);
      assert.equal(r.signature.identifier, path.basename(file));
      assert.ok(r.signature.pages > 20_000);
      // Re-signing reproduces the file: the build's signature is exactly ours.
      assert.ok(signMachO(buf, { id: path.basename(file) }).equals(buf));
      const page = r.signature.pages - 3;
      buf[page * 4096 + 100]! ^= 0xff;
      assert.deepEqual(verifyMachO(buf).badPages, [page]);
    });
  }
});

// Go's linker ad-hoc signs darwin/arm64 executables with the same form; the
// signer must reproduce its bytes exactly. KITARU_TEST_GO points at a go binary.
describe('macho-sign against Go\'s linker', () => {
  const go = process.env.KITARU_TEST_GO ?? 'go';
  let skip: string | false = false;
  try {
    execFileSync(go, ['version'], { stdio: 'ignore' });
  } catch {
    skip = `no Go toolchain (${go}); set KITARU_TEST_GO to run this check`;
  }
  test('re-signing a Go darwin/arm64 binary gives Go\'s bytes', { skip, timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'macho-go-'));
    try {
      writeFileSync(path.join(dir, 'main.go'), 'package main\nfunc main() { println("hi") }\n');
      const out = path.join(dir, 'hello');
      // Go's build cache outlives the run (its darwin/arm64 runtime takes ~8 CPU-s to compile afresh).
      const goCache = process.env.GOCACHE ?? path.join(os.tmpdir(), 'kitaru-mcp-test-gocache');
      execFileSync(go, ['build', '-o', out, 'main.go'], {
        cwd: dir,
        env: { ...process.env, GOOS: 'darwin', GOARCH: 'arm64', CGO_ENABLED: '0', GO111MODULE: 'off', GOCACHE: goCache },
        stdio: 'inherit',
      });
      const goSigned = readFileSync(out);
      assert.equal(verifyMachO(goSigned).ok, true);
      assert.ok(signMachO(goSigned, { id: 'a.out' }).equals(goSigned), 're-sign');

      // Remove Go's signature (its load command is the last one), then sign afresh.
      const m = parseMachO(goSigned);
      const cs = m.codeSignature!;
      assert.equal(cs.cmdOffset + 16, m.cmdsEnd);
      const unsigned = Buffer.from(goSigned.subarray(0, cs.dataoff));
      unsigned.fill(0, cs.cmdOffset, cs.cmdOffset + 16);
      unsigned.writeUInt32LE(m.ncmds - 1, 16);
      unsigned.writeUInt32LE(m.sizeofcmds - 16, 20);
      const linkedit = m.segments.find((s) => s.name === '__LINKEDIT')!;
      unsigned.writeBigUInt64LE(BigInt(cs.dataoff - linkedit.fileoff), linkedit.cmdOffset + 48);
      assert.ok(signMachO(unsigned, { id: 'a.out' }).equals(goSigned), 'sign from unsigned');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
