import os from 'node:os';

/** One line on what the numbers were measured on; ratios travel between machines, absolute figures do not. */
export function describeMachine(extra: Record<string, string> = {}): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const parts = [
    `${cpus.length} × ${model}`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `${os.type()} ${os.release()}`,
    `Node ${process.versions.node}`,
    ...Object.entries(extra).map(([key, value]) => `${key} ${value}`),
  ];
  return parts.join(', ');
}
