// Processes as /proc shows them (Linux), for the tests that check what our
// server starts and leaves behind.
import fs from 'node:fs';

/** Alive and not a zombie (a killed process waits for its reaper, which may be slow in containers). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every live descendant of pid, parents before their children, with its command line. */
export function descendants(pid: number): { pid: number; ppid: number; cmd: string }[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; ppid: number; cmd: string }[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [child, ppid] of parentOf) {
      if (ppid !== parent || !alive(child)) continue;
      let cmd = '';
      try {
        cmd = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        // gone
      }
      found.push({ pid: child, ppid, cmd });
      frontier.push(child);
    }
  }
  return found;
}
