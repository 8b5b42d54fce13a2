#!/usr/bin/env node
// Ad-hoc code signing of thin 64-bit Mach-O files, in plain JS, on any OS.
// Apple silicon kills unsigned binaries at exec and postject leaves its output
// unsigned; nothing on Debian or npm signs Mach-O on Linux, so we write the
// minimal "linker-signed" signature ld64 and Go's linker emit: a SuperBlob with
// one CodeDirectory (v0x20400, CS_ADHOC|CS_LINKER_SIGNED, SHA-256, 4 KiB pages,
// no special slots). That is all the kernel checks for an ad-hoc binary.
//
//   node macho-sign.mjs sign FILE [--id IDENT]
//   node macho-sign.mjs verify FILE...
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
const CS_HASHTYPE_SHA256 = 2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const CD_VERSION = 0x20400; // the first version with execSeg fields
const CD_HEADER_SIZE = 88;
const SUPERBLOB_HEADER_SIZE = 12 + 8; // header + one index entry
const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const HASH_SIZE = 32;
const CPU_TYPE_ARM64 = 0x0100000c;

const cstr = (buf, off, len) => {
  const end = buf.indexOf(0, off);
  return buf.toString('latin1', off, end < 0 || end > off + len ? off + len : end);
};
const roundUp = (n, a) => Math.ceil(n / a) * a;
const sha256 = (b) => createHash('sha256').update(b).digest();

/** Load-command layout of a thin 64-bit little-endian Mach-O file. */
export function parseMachO(buf) {
  if (buf.length < 32) throw new Error('too short to be a Mach-O file');
  const magic = buf.readUInt32LE(0);
  if (magic !== MH_MAGIC_64) {
    const be = buf.readUInt32BE(0);
    if (be === 0xcafebabe || be === 0xcafebabf) throw new Error('fat (universal) Mach-O is not supported; sign each slice');
    throw new Error(`not a 64-bit little-endian Mach-O file (magic 0x${magic.toString(16)})`);
  }
  const ncmds = buf.readUInt32LE(16);
  const sizeofcmds = buf.readUInt32LE(20);
  const cmdsEnd = 32 + sizeofcmds;
  const segments = [];
  let codeSignature = null;
  let off = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(off);
    const cmdsize = buf.readUInt32LE(off + 4);
    if (cmdsize < 8 || off + cmdsize > cmdsEnd) throw new Error(`load command ${i} overruns the header`);
    if (cmd === LC_SEGMENT_64) {
      const nsects = buf.readUInt32LE(off + 64);
      const sections = [];
      for (let s = 0; s < nsects; s++) {
        const so = off + 72 + s * 80;
        sections.push({
          name: cstr(buf, so, 16),
          size: Number(buf.readBigUInt64LE(so + 40)),
          offset: buf.readUInt32LE(so + 48),
          flags: buf.readUInt32LE(so + 64),
        });
      }
      segments.push({
        cmdOffset: off,
        name: cstr(buf, off + 8, 16),
        vmaddr: Number(buf.readBigUInt64LE(off + 24)),
        vmsize: Number(buf.readBigUInt64LE(off + 32)),
        fileoff: Number(buf.readBigUInt64LE(off + 40)),
        filesize: Number(buf.readBigUInt64LE(off + 48)),
        sections,
      });
    } else if (cmd === LC_CODE_SIGNATURE) {
      codeSignature = { cmdOffset: off, dataoff: buf.readUInt32LE(off + 8), datasize: buf.readUInt32LE(off + 12) };
    }
    off += cmdsize;
  }
  return { cputype: buf.readUInt32LE(4), ncmds, sizeofcmds, cmdsEnd, segments, codeSignature };
}

/** Byte size of the signature for `codeLimit` bytes of code and identifier `id`. */
export function signatureSize(codeLimit, id) {
  const nSlots = Math.ceil(codeLimit / PAGE_SIZE);
  return SUPERBLOB_HEADER_SIZE + CD_HEADER_SIZE + Buffer.byteLength(id) + 1 + nSlots * HASH_SIZE;
}

/** Builds the embedded signature for buf[0:codeLimit]. */
export function buildSignature(buf, codeLimit, id, text) {
  const idBytes = Buffer.from(id + '\0', 'utf8');
  const nSlots = Math.ceil(codeLimit / PAGE_SIZE);
  const identOffset = CD_HEADER_SIZE;
  const hashOffset = identOffset + idBytes.length;
  const cdLength = hashOffset + nSlots * HASH_SIZE;
  const total = SUPERBLOB_HEADER_SIZE + cdLength;
  const sig = Buffer.alloc(total);
  sig.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sig.writeUInt32BE(total, 4);
  sig.writeUInt32BE(1, 8); // blob count
  sig.writeUInt32BE(0, 12); // CSSLOT_CODEDIRECTORY
  sig.writeUInt32BE(SUPERBLOB_HEADER_SIZE, 16);
  const cd = sig.subarray(SUPERBLOB_HEADER_SIZE);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(CD_VERSION, 8);
  cd.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(identOffset, 20);
  cd.writeUInt32BE(0, 24); // nSpecialSlots
  cd.writeUInt32BE(nSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(HASH_SIZE, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(PAGE_BITS, 39);
  // 40..63: spare2, scatterOffset, teamOffset, spare3, codeLimit64 stay zero
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64);
  cd.writeBigUInt64BE(BigInt(text.filesize), 72);
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  idBytes.copy(cd, identOffset);
  for (let i = 0; i < nSlots; i++) {
    const page = buf.subarray(i * PAGE_SIZE, Math.min((i + 1) * PAGE_SIZE, codeLimit));
    sha256(page).copy(cd, hashOffset + i * HASH_SIZE);
  }
  return sig;
}

/**
 * Returns a signed copy of a thin Mach-O buffer. An existing signature (e.g.
 * the Developer ID one, now invalid after injection) is replaced in place;
 * otherwise LC_CODE_SIGNATURE goes into the header padding.
 */
export function signMachO(input, { id = 'a.out' } = {}) {
  const m = parseMachO(input);
  const text = m.segments.find((s) => s.name === '__TEXT');
  const linkedit = m.segments.find((s) => s.name === '__LINKEDIT');
  if (!text || !linkedit) throw new Error('no __TEXT or __LINKEDIT segment');
  const lastEnd = Math.max(...m.segments.map((s) => s.fileoff + s.filesize));
  if (linkedit.fileoff + linkedit.filesize !== lastEnd) throw new Error('__LINKEDIT is not the last segment in the file');

  let sigOff;
  let buf;
  let lcOff;
  if (m.codeSignature) {
    sigOff = m.codeSignature.dataoff;
    lcOff = m.codeSignature.cmdOffset;
    buf = Buffer.from(input.subarray(0, sigOff));
  } else {
    const contentEnd = linkedit.fileoff + linkedit.filesize;
    if (contentEnd !== input.length) throw new Error(`data after __LINKEDIT (${input.length - contentEnd} bytes)`);
    sigOff = roundUp(contentEnd, 16);
    // A new load command must fit between the existing ones and the first section.
    const firstData = Math.min(
      ...m.segments
        .flatMap((s) => s.sections)
        .filter((s) => s.offset > 0 && s.size > 0)
        .map((s) => s.offset),
    );
    lcOff = m.cmdsEnd;
    if (lcOff + 16 > firstData) throw new Error('no room in the header padding for LC_CODE_SIGNATURE');
    if (input.subarray(lcOff, lcOff + 16).some((b) => b !== 0)) throw new Error('header padding is not empty');
    buf = Buffer.alloc(sigOff);
    input.copy(buf);
    buf.writeUInt32LE(m.ncmds + 1, 16);
    buf.writeUInt32LE(m.sizeofcmds + 16, 20);
  }
  const size = signatureSize(sigOff, id);
  buf.writeUInt32LE(LC_CODE_SIGNATURE, lcOff);
  buf.writeUInt32LE(16, lcOff + 4);
  buf.writeUInt32LE(sigOff, lcOff + 8);
  buf.writeUInt32LE(size, lcOff + 12);

  // __LINKEDIT must cover the signature, in the file and once mapped.
  const pageAlign = m.cputype === CPU_TYPE_ARM64 ? 0x4000 : 0x1000;
  const filesize = sigOff + size - linkedit.fileoff;
  buf.writeBigUInt64LE(BigInt(filesize), linkedit.cmdOffset + 48);
  if (linkedit.vmsize < filesize) buf.writeBigUInt64LE(BigInt(roundUp(filesize, pageAlign)), linkedit.cmdOffset + 32);

  if (sigOff > 0xffffffff) throw new Error('file too large for a 32-bit codeLimit');
  return Buffer.concat([buf, buildSignature(buf, sigOff, id, text)]);
}

/**
 * Checks an ad-hoc signature the way the kernel would see it: every page hash
 * recomputed, the CodeDirectory fields consistent with the file. Returns
 * { ok, errors, identifier, pages, badPages, cdhash }.
 */
export function verifyMachO(buf) {
  const errors = [];
  const report = { ok: false, errors, identifier: null, pages: 0, badPages: [], cdhash: null };
  let m;
  try {
    m = parseMachO(buf);
  } catch (e) {
    errors.push(e.message);
    return report;
  }
  const cs = m.codeSignature;
  if (!cs) {
    errors.push('no LC_CODE_SIGNATURE');
    return report;
  }
  if (cs.dataoff + cs.datasize > buf.length) {
    errors.push('signature extends past the end of the file');
    return report;
  }
  const text = m.segments.find((s) => s.name === '__TEXT');
  const linkedit = m.segments.find((s) => s.name === '__LINKEDIT');
  if (!linkedit || cs.dataoff < linkedit.fileoff || cs.dataoff + cs.datasize > linkedit.fileoff + linkedit.filesize)
    errors.push('signature is not inside __LINKEDIT');
  if (linkedit && linkedit.vmsize < linkedit.filesize) errors.push('__LINKEDIT vmsize is smaller than its filesize');
  if (cs.dataoff % 16) errors.push('signature offset is not 16-byte aligned');

  const sig = buf.subarray(cs.dataoff, cs.dataoff + cs.datasize);
  if (sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    errors.push(`bad SuperBlob magic 0x${sig.readUInt32BE(0).toString(16)}`);
    return report;
  }
  if (sig.readUInt32BE(4) > sig.length) errors.push('SuperBlob length exceeds LC_CODE_SIGNATURE datasize');
  const count = sig.readUInt32BE(8);
  let cdOff = -1;
  for (let i = 0; i < count; i++) if (sig.readUInt32BE(12 + i * 8) === 0) cdOff = sig.readUInt32BE(16 + i * 8);
  if (cdOff < 0) {
    errors.push('no CodeDirectory in the SuperBlob');
    return report;
  }
  const cd = sig.subarray(cdOff);
  if (cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) {
    errors.push('bad CodeDirectory magic');
    return report;
  }
  const cdLength = cd.readUInt32BE(4);
  const version = cd.readUInt32BE(8);
  const flags = cd.readUInt32BE(12);
  const hashOffset = cd.readUInt32BE(16);
  const identOffset = cd.readUInt32BE(20);
  const nSpecial = cd.readUInt32BE(24);
  const nSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  const hashSize = cd.readUInt8(36);
  const hashType = cd.readUInt8(37);
  const pageBits = cd.readUInt8(39);
  report.identifier = cstr(cd, identOffset, cdLength - identOffset);
  report.cdhash = sha256(cd.subarray(0, cdLength)).subarray(0, 20).toString('hex');

  if (version < CD_VERSION) errors.push(`CodeDirectory version 0x${version.toString(16)} < 0x20400`);
  if (!(flags & CS_ADHOC)) errors.push(`flags 0x${flags.toString(16)} lack CS_ADHOC`);
  if (hashType !== CS_HASHTYPE_SHA256 || hashSize !== HASH_SIZE) errors.push(`hash type ${hashType}/${hashSize} is not SHA-256`);
  if (pageBits !== PAGE_BITS) errors.push(`page size 2^${pageBits}, expected 2^12`);
  if (nSpecial !== 0) errors.push(`${nSpecial} special slots; an ad-hoc linker signature has none`);
  if (codeLimit !== cs.dataoff) errors.push(`codeLimit ${codeLimit} != signature offset ${cs.dataoff}`);
  if (nSlots !== Math.ceil(codeLimit / PAGE_SIZE)) errors.push(`${nSlots} code slots for ${codeLimit} bytes`);
  if (hashOffset + nSlots * hashSize > cdLength) errors.push('hash slots overrun the CodeDirectory');
  if (version >= CD_VERSION && text) {
    const base = Number(cd.readBigUInt64BE(64));
    const limit = Number(cd.readBigUInt64BE(72));
    const segFlags = Number(cd.readBigUInt64BE(80));
    if (base !== text.fileoff || limit !== text.filesize) errors.push('execSeg does not match __TEXT');
    if (!(segFlags & CS_EXECSEG_MAIN_BINARY)) errors.push('execSegFlags lack CS_EXECSEG_MAIN_BINARY');
  }
  if (errors.length) return report;

  const pageSize = 1 << pageBits;
  for (let i = 0; i < nSlots; i++) {
    const page = buf.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit));
    const want = cd.subarray(hashOffset + i * hashSize, hashOffset + (i + 1) * hashSize);
    if (!sha256(page).equals(want)) report.badPages.push(i);
  }
  report.pages = nSlots;
  if (report.badPages.length)
    errors.push(`${report.badPages.length} of ${nSlots} page hashes do not match (first: page ${report.badPages[0]})`);
  report.ok = errors.length === 0;
  return report;
}

export function signFile(file, opts = {}) {
  const id = opts.id ?? path.basename(file);
  writeFileSync(file, signMachO(readFileSync(file), { id }));
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'sign' && args[0]) {
    const i = args.indexOf('--id');
    signFile(args[0], i >= 0 ? { id: args[i + 1] } : {});
    process.stderr.write(`signed ${args[0]}\n`);
  } else if (cmd === 'verify' && args.length) {
    let bad = 0;
    for (const f of args) {
      const r = verifyMachO(readFileSync(f));
      if (!r.ok) bad++;
      const what = r.ok ? `ok, ${r.pages} pages, ident ${r.identifier}, cdhash ${r.cdhash}` : `FAILED: ${r.errors.join('; ')}`;
      process.stdout.write(`${f}: ${what}\n`);
    }
    process.exit(bad ? 1 : 0);
  } else {
    process.stderr.write('usage: macho-sign.mjs sign FILE [--id IDENT] | verify FILE...\n');
    process.exit(2);
  }
}
