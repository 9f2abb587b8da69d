import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time that processes have used, from /proc (Linux only; elsewhere every
 * reading is null and the report says "n/a").
 *
 * Requests per second on a shared machine move with whatever else runs on
 * it; the CPU time the server spends per request barely does. Both are
 * reported: the first is what the aims are stated in, the second says
 * where the time goes and stays comparable between runs.
 */
const LINUX = process.platform === 'linux';

let ticksPerSecond: number | null = null;
function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields after the command name of /proc/<pid>/stat: [0] state, [2] process group, [11] utime, [12] stime. */
function statFields(pid: string | number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const seconds = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / clockTicks();

/** CPU seconds used so far by every process of a process group (the server: tsx and its node child), or null. */
export function groupCpuSeconds(pgid: number): number | null {
  if (!LINUX) return null;
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields || Number(fields[2]) !== pgid) continue;
    total += seconds(fields);
    found = true;
  }
  return found ? total : null;
}

/** CPU seconds used so far by one process, or null (not Linux, or no such process). */
export function processCpuSeconds(pid: number): number | null {
  if (!LINUX) return null;
  const fields = statFields(pid);
  return fields ? seconds(fields) : null;
}

/** How many processes a process group holds (the server: tsx, its node child, and any cluster workers), or null off Linux. */
export function groupProcessCount(pgid: number): number | null {
  if (!LINUX) return null;
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields && Number(fields[2]) === pgid) count++;
  }
  return count;
}
