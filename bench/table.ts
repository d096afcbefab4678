// Prints the benchmark result table (fixed-width text) and notes.

import { fmt } from './stats';
import type { BenchRow } from './types';

function cell(s: string, width: number, right: boolean): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['metric', 'unit', 'Fovea', 'peer', 'ratio', 'goal', 'result'];
  const body = rows.map((r) => [
    r.metric,
    r.unit,
    fmt(r.fovea, r.fovea < 10 ? 2 : 1),
    r.peer === null ? '-' : fmt(r.peer, r.peer < 10 ? 2 : 1),
    r.ratio === null ? '-' : `${fmt(r.ratio, 2)}×`,
    r.goal,
    r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const right = [false, false, true, true, true, false, false];
  const line = (cols: string[]): string => cols.map((c, i) => cell(c, widths[i] ?? 0, right[i] ?? false)).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), sep, ...body.map(line)].join('\n');
}
