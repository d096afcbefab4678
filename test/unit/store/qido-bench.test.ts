// QIDO-RS and metadata timings with 100 000 synthetic instances (issue #2 goals: QIDO p50 < 20 ms,
// series metadata of 1 000 instances < 50 ms). Prints timings, asserts only results, never times.
// Skipped unless FOVEA_STORE_BENCH=1 (it takes about a minute): FOVEA_STORE_BENCH=1 npx jest qido-bench

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../../src/store/db';
import { SqliteInstanceStore } from '../../../src/store/sqlite-instance-store';
import type { QidoQuery } from '../../../src/store/types';
import { instanceWrite } from '../../contract/store-fixtures';

const run = process.env['FOVEA_STORE_BENCH'] === '1' ? describe : describe.skip;
const STUDIES = Number(process.env['FOVEA_STORE_BENCH_STUDIES'] ?? '1000');
const SERIES_PER_STUDY = 4;
const INSTANCES_PER_SERIES = 25;
const BIG_SERIES = 1000;
const NAMES = [
  'Doe^John',
  'Smith^Anna',
  'Müller^Jürgen',
  'Garcia^Maria',
  'Nguyen^Van',
  'Kowalski^Jan',
  'Rossi^Luca',
  'Tanaka^Yuki',
];
const MODALITIES = ['CT', 'MR', 'US', 'CR', 'DX', 'PT'];

function p50(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

run('QIDO benchmark (100 000 instances)', () => {
  test('prints p50 timings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-bench-'));
    const db = openDatabase({ dataDir: dir });
    const store = new SqliteInstanceStore(db);
    try {
      const t0 = performance.now();
      db.transaction(() => {
        for (let st = 0; st < STUDIES; st++) {
          const date = `20${String(10 + (st % 14)).padStart(2, '0')}${String(1 + (st % 12)).padStart(2, '0')}${String(1 + (st % 28)).padStart(2, '0')}`;
          for (let se = 0; se < SERIES_PER_STUDY; se++) {
            const count = st === 0 && se === 0 ? BIG_SERIES : INSTANCES_PER_SERIES;
            for (let i = 0; i < count; i++) {
              store.commitInstance(
                instanceWrite({
                  study: `1.2.${st}`,
                  series: `1.2.${st}.${se}`,
                  sop: `1.2.${st}.${se}.${i}`,
                  patientName: `${NAMES[st % NAMES.length] ?? 'X'}${st}`,
                  patientId: `P${st}`,
                  studyDate: date,
                  studyTime: '101500',
                  accession: `A${st}`,
                  modality: MODALITIES[(st + se) % MODALITIES.length] ?? 'OT',
                  seriesNumber: se + 1,
                  instanceNumber: i + 1,
                }),
              );
            }
          }
        }
      })();
      const insertMs = performance.now() - t0;
      const total = db.prepare('SELECT count(*) FROM instances').pluck().get() as number;
      const base = { matches: [], includeFields: [], fuzzyMatching: false, limit: 100, offset: 0 } satisfies Omit<
        QidoQuery,
        'level'
      >;
      const cases: [string, QidoQuery][] = [
        ['studies PatientName=smi*', { ...base, level: 'study', matches: [{ tag: '00100010', value: 'smi*' }] }],
        [
          'studies PatientName=*jurgen1* (leading wildcard)',
          { ...base, level: 'study', matches: [{ tag: '00100010', value: '*jurgen1*' }] },
        ],
        ['studies ModalitiesInStudy=MR', { ...base, level: 'study', matches: [{ tag: '00080061', value: 'MR' }] }],
        [
          'studies StudyDate=20150101-20161231',
          { ...base, level: 'study', matches: [{ tag: '00080020', value: '20150101-20161231' }] },
        ],
        ['studies (no filter, limit 100)', { ...base, level: 'study' }],
        [
          'studies PatientName fuzzy "garc"',
          { ...base, level: 'study', fuzzyMatching: true, matches: [{ tag: '00100010', value: 'garc' }] },
        ],
        ['series of a study', { ...base, level: 'series', studyInstanceUid: `1.2.${Math.floor(STUDIES / 2)}` }],
        [
          'instances of a series, limit 100',
          { ...base, level: 'instance', studyInstanceUid: '1.2.0', seriesInstanceUid: '1.2.0.0' },
        ],
        [
          'instances of a series, offset 900',
          { ...base, level: 'instance', studyInstanceUid: '1.2.0', seriesInstanceUid: '1.2.0.0', offset: 900 },
        ],
        ['instances (all, limit 100)', { ...base, level: 'instance' }],
        [
          'series Modality=CT (all, limit 100)',
          { ...base, level: 'series', matches: [{ tag: '00080060', value: 'CT' }] },
        ],
      ];
      const lines = [
        `inserted ${total} instances in ${insertMs.toFixed(0)} ms (${((total / insertMs) * 1000).toFixed(0)}/s)`,
      ];
      for (const [name, query] of cases) {
        const samples: number[] = [];
        let n = 0;
        for (let k = 0; k < 30; k++) {
          const t = performance.now();
          n = store.query(query).items.length;
          samples.push(performance.now() - t);
        }
        expect(n).toBeGreaterThan(0);
        lines.push(`QIDO ${name}: p50 ${p50(samples).toFixed(2)} ms (${n} results)`);
      }
      const meta: number[] = [];
      let length = 0;
      for (let k = 0; k < 10; k++) {
        const t = performance.now();
        length = store.metadataJson({ studyInstanceUid: '1.2.0', seriesInstanceUid: '1.2.0.0' }).length;
        meta.push(performance.now() - t);
      }
      lines.push(
        `metadataJson of a ${BIG_SERIES}-instance series: p50 ${p50(meta).toFixed(2)} ms (${(length / 1e6).toFixed(1)} MB)`,
      );
      const parsed: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        store.metadata({ studyInstanceUid: '1.2.0', seriesInstanceUid: '1.2.0.0' });
        parsed.push(performance.now() - t);
      }
      lines.push(`metadata (parsed objects) of the same series: p50 ${p50(parsed).toFixed(2)} ms`);
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
