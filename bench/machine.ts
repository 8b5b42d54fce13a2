// One-line description of the machine a report was produced on.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export function pythonVersion(python: string): string {
  try {
    return execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(python: string) {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu,
    nproc: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    python: pythonVersion(python),
  };
}

export function machineLine(python: string): string {
  const m = machineInfo(python);
  return `${m.os}, ${m.cpu}, nproc ${m.nproc}, ${m.memoryGiB} GiB RAM, node ${m.node}, python ${m.python}`;
}
