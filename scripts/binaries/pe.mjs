// Removes the Authenticode signature from a PE file. Injecting the SEA blob
// invalidates node.exe's OpenJS Foundation signature, and Windows treats an
// invalid signature worse than none ("The digital signature is invalid").
import { readFileSync, writeFileSync } from 'node:fs';

const IMAGE_DIRECTORY_ENTRY_SECURITY = 4;

/** Returns true if a signature was removed. */
export function stripAuthenticode(file) {
  const buf = readFileSync(file);
  const pe = buf.readUInt32LE(0x3c);
  if (buf.readUInt32LE(pe) !== 0x00004550) throw new Error(`${file}: not a PE file`);
  const opt = pe + 24;
  const magic = buf.readUInt16LE(opt);
  const dirs = opt + (magic === 0x20b ? 112 : magic === 0x10b ? 96 : -1);
  if (dirs < opt) throw new Error(`${file}: unknown optional header magic 0x${magic.toString(16)}`);
  const entry = dirs + IMAGE_DIRECTORY_ENTRY_SECURITY * 8;
  const off = buf.readUInt32LE(entry); // a file offset, not an RVA, for this directory
  const size = buf.readUInt32LE(entry + 4);
  if (!off || !size) return false;
  if (off + size < buf.length - 8) throw new Error(`${file}: certificate table is not at the end of the file`);
  buf.writeUInt32LE(0, entry);
  buf.writeUInt32LE(0, entry + 4);
  const out = buf.subarray(0, off);
  out.writeUInt32LE(peChecksum(out, opt + 64), opt + 64);
  writeFileSync(file, out);
  return true;
}

/** The PE image checksum (imagehlp's CheckSumMappedFile), skipping its own field. */
export function peChecksum(buf, checksumOffset) {
  let sum = 0;
  for (let i = 0; i < buf.length; i += 2) {
    if (i === checksumOffset || i === checksumOffset + 2) continue;
    sum += i + 1 < buf.length ? buf.readUInt16LE(i) : buf[i];
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum + buf.length) >>> 0;
}

/** Rewrites the checksum after postject has changed the file. */
export function updatePeChecksum(file) {
  const buf = readFileSync(file);
  const field = buf.readUInt32LE(0x3c) + 24 + 64;
  buf.writeUInt32LE(peChecksum(buf, field), field);
  writeFileSync(file, buf);
}
