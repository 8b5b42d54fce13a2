import type { VerifyReport } from './macho-sign.mjs';
export function checkDarwinSea(
  buf: Buffer,
  opts?: { bundle?: Buffer; arch?: 'x86_64' | 'arm64' },
): { ok: boolean; errors: string[]; cpu: string; blobSize: number; signature: VerifyReport };
