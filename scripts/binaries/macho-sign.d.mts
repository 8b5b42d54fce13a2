export interface Segment {
  cmdOffset: number;
  name: string;
  vmaddr: number;
  vmsize: number;
  fileoff: number;
  filesize: number;
  sections: { name: string; size: number; offset: number; flags: number }[];
}
export interface MachO {
  cputype: number;
  ncmds: number;
  sizeofcmds: number;
  cmdsEnd: number;
  segments: Segment[];
  codeSignature: { cmdOffset: number; dataoff: number; datasize: number } | null;
}
export interface VerifyReport {
  ok: boolean;
  errors: string[];
  identifier: string | null;
  pages: number;
  badPages: number[];
  cdhash: string | null;
}
export function parseMachO(buf: Buffer): MachO;
export function signatureSize(codeLimit: number, id: string): number;
export function signMachO(input: Buffer, opts?: { id?: string }): Buffer;
export function verifyMachO(buf: Buffer): VerifyReport;
export function signFile(file: string, opts?: { id?: string }): void;
