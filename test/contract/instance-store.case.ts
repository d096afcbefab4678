// Contract suite for InstanceStore (src/store/types.ts): every implementation (SQLite today,
// PostgreSQL later) must pass it. Covers commit outcomes (stored / unchanged / replaced, moves
// between series and studies), the overwrite policy (never refuses a different object under a
// stored SOP Instance UID, also from a second connection; always replaces), frames and packet indexes, metadata order, and QIDO-RS matching
// (PS3.18 §8.3.4, PS3.4 C.2.2.2): single value, wildcards, DA/TM/DT ranges, UID lists, PN
// case/accent-insensitive and fuzzy matching, JSON-matched keys, includefield, limit/offset, scoping.

import fc from 'fast-check';
import { BadRequestError, FoveaError } from '../../src/errors';
import type { InstanceStore, QidoQuery, QidoResult } from '../../src/store/types';
import type { DicomJsonObject as DicomJson } from '../../src/dicom';
import { instanceWrite, type InstanceSpec } from './store-fixtures';

export interface StoreHarness {
  store: InstanceStore;
  /** A second, independent writer on the same database (another connection or process). */
  otherWriter(): InstanceStore;
  cleanup(): void;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FoveaError) return err.code;
    throw err;
  }
  throw new Error('expected a FoveaError');
}

function values(item: DicomJson | undefined, tag: string): unknown[] {
  return item?.[tag]?.Value ?? [];
}

function uids(result: QidoResult, tag = '0020000D'): unknown[] {
  return result.items.map((i) => values(i, tag)[0]);
}

const S1: Partial<InstanceSpec> = {
  study: '1.2.1',
  patientName: 'Doe^John',
  patientId: 'P1',
  patientBirthDate: '19700101',
  patientSex: 'M',
  patientAge: '050Y',
  studyDate: '20200115',
  studyTime: '101500',
  accession: 'A100',
  referring: 'Smith^Bob',
  studyDescription: 'Chest CT',
};
const S2: Partial<InstanceSpec> = {
  study: '1.2.2',
  patientName: 'DOE^JANE',
  patientId: 'P2',
  patientSex: 'F',
  studyDate: '20200301',
  studyTime: '083000',
  accession: 'A200',
};
const S3: Partial<InstanceSpec> = {
  study: '1.2.3',
  patientName: 'Müller^Jürgen',
  patientId: 'P3',
  studyDate: '20191231',
  studyTime: '120000',
  accession: 'B300',
};
const S4: Partial<InstanceSpec> = {
  study: '1.2.4',
  patientName: 'Smith^Anna',
  patientId: 'P4',
  studyDate: '20210610',
  studyTime: '091500',
  accession: 'A400',
  referring: 'House^Gregory',
};
const S5: Partial<InstanceSpec> = {
  study: '1.2.5',
  patientName: '[bracket]^Test',
  patientId: 'P5',
  studyDate: '20200115',
  studyTime: '235959',
  accession: 'X[1]',
};

function spec(base: Partial<InstanceSpec>, rest: Omit<InstanceSpec, 'study'>): InstanceSpec {
  return { ...base, ...rest, study: base.study ?? '' };
}

/** The QIDO data set: 5 studies, 7 series, 9 instances. */
export function qidoDataSet(): InstanceSpec[] {
  return [
    spec(S1, {
      series: '1.2.1.1',
      sop: '1.2.1.1.3',
      modality: 'CT',
      seriesNumber: 1,
      seriesDescription: 'Axial',
      protocolName: 'Head Routine',
      instanceNumber: 3,
      frames: 3,
    }),
    spec(S1, {
      series: '1.2.1.1',
      sop: '1.2.1.1.1',
      modality: 'CT',
      seriesNumber: 1,
      seriesDescription: 'Axial',
      protocolName: 'Head Routine',
      instanceNumber: 1,
    }),
    spec(S1, {
      series: '1.2.1.1',
      sop: '1.2.1.1.2',
      modality: 'CT',
      seriesNumber: 1,
      seriesDescription: 'Axial',
      protocolName: 'Head Routine',
      instanceNumber: 2,
      imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'],
      acquisitionDateTime: '20200115101530.5',
    }),
    spec(S1, {
      series: '1.2.1.2',
      sop: '1.2.1.2.1',
      modality: 'MR',
      seriesNumber: 2,
      seriesDescription: 'T1',
      protocolName: 'Brain',
      instanceNumber: 1,
      rows: 128,
    }),
    spec(S2, { series: '1.2.2.1', sop: '1.2.2.1.1', modality: 'CT', seriesNumber: 1, instanceNumber: 1 }),
    spec(S3, { series: '1.2.3.1', sop: '1.2.3.1.1', modality: 'MR', seriesNumber: 5, instanceNumber: 1 }),
    spec(S4, { series: '1.2.4.1', sop: '1.2.4.1.1', modality: 'US', seriesNumber: 1, instanceNumber: 1 }),
    spec(S4, { series: '1.2.4.2', sop: '1.2.4.2.1', modality: 'SR', seriesNumber: 2, instanceNumber: 1, frames: 0 }),
    spec(S5, { series: '1.2.5.1', sop: '1.2.5.1.1', modality: 'CT', seriesNumber: 1, instanceNumber: 1 }),
  ];
}

export function runInstanceStoreContract(name: string, open: () => StoreHarness): void {
  describe(`InstanceStore contract: ${name}`, () => {
    let h: StoreHarness;
    let store: InstanceStore;
    beforeEach(() => {
      h = open();
      store = h.store;
    });
    afterEach(() => h.cleanup());

    const q = (partial: Partial<QidoQuery> & Pick<QidoQuery, 'level'>): QidoResult =>
      store.query({ matches: [], includeFields: [], fuzzyMatching: false, limit: 100, offset: 0, ...partial });
    const load = (): void => {
      for (const s of qidoDataSet()) expect(store.commitInstance(instanceWrite(s)).outcome).toBe('stored');
    };
    const studyMatch = (tag: string, value: string, fuzzyMatching = false): unknown[] =>
      uids(q({ level: 'study', matches: [{ tag, value }], fuzzyMatching }));

    describe('commit', () => {
      const base: InstanceSpec = {
        study: '9.1',
        series: '9.1.1',
        sop: '9.1.1.1',
        patientName: 'A^B',
        patientId: 'X',
        instanceNumber: 7,
        frames: 2,
      };

      test('stored, then unchanged for identical content, then replaced for different content', () => {
        expect(store.commitInstance(instanceWrite(base))).toEqual({ outcome: 'stored', obsoleteVersionKey: null });
        const rec = store.getInstance('9.1.1.1');
        expect(rec).toMatchObject({
          studyInstanceUid: '9.1',
          seriesInstanceUid: '9.1.1',
          versionKey: '00/9.1.1.1/v1',
          numberOfFrames: 2,
          instanceNumber: 7,
        });
        expect(store.hasVersion('00/9.1.1.1/v1')).toBe(true);

        expect(store.commitInstance(instanceWrite({ ...base, version: 'v2' }))).toEqual({
          outcome: 'unchanged',
          obsoleteVersionKey: '00/9.1.1.1/v2',
        });
        expect(store.commitInstance(instanceWrite(base))).toEqual({ outcome: 'unchanged', obsoleteVersionKey: null });
        expect(store.getInstance('9.1.1.1')?.versionKey).toBe('00/9.1.1.1/v1');

        const replaced = store.commitInstance(
          instanceWrite({ ...base, version: 'v3', sha: 'b'.repeat(64), frames: 1, instanceNumber: 8 }),
          { overwrite: 'always' },
        );
        expect(replaced).toEqual({ outcome: 'replaced', obsoleteVersionKey: '00/9.1.1.1/v1' });
        expect(store.getInstance('9.1.1.1')).toMatchObject({
          versionKey: '00/9.1.1.1/v3',
          contentSha256: 'b'.repeat(64),
          numberOfFrames: 1,
          instanceNumber: 8,
        });
        expect(store.hasVersion('00/9.1.1.1/v1')).toBe(false);
        expect(store.listFrames('9.1.1.1').map((f) => [f.frameNumber, f.framesKey])).toEqual([
          [1, '00/9.1.1.1/v3/frames.bin'],
        ]);
        expect(store.getFrame('9.1.1.1', 2)).toBeUndefined();
        const study = q({ level: 'study' }).items[0];
        expect(values(study, '00201206')).toEqual([1]);
        expect(values(study, '00201208')).toEqual([1]);
      });

      test('an instance moving to another series and study updates counts and removes emptied levels', () => {
        store.commitInstance(instanceWrite(base));
        store.commitInstance(instanceWrite({ ...base, sop: '9.1.1.2' }));
        const moved = store.commitInstance(
          instanceWrite({ ...base, study: '9.2', series: '9.2.1', patientId: 'Y', sha: 'c'.repeat(64), version: 'v2' }),
          { overwrite: 'always' },
        );
        expect(moved.outcome).toBe('replaced');
        expect(store.getInstance('9.1.1.1')).toMatchObject({ studyInstanceUid: '9.2', seriesInstanceUid: '9.2.1' });
        const studies = q({ level: 'study' });
        expect(uids(studies)).toEqual(['9.1', '9.2']);
        expect(studies.items.map((i) => values(i, '00201208')[0])).toEqual([1, 1]);
        // Moving the last instance away deletes the old series and study.
        store.commitInstance(
          instanceWrite({ ...base, sop: '9.1.1.2', study: '9.2', series: '9.2.1', sha: 'd'.repeat(64), version: 'v2' }),
          { overwrite: 'always' },
        );
        const after = q({ level: 'study' });
        expect(uids(after)).toEqual(['9.2']);
        expect(values(after.items[0], '00201206')).toEqual([1]);
        expect(values(after.items[0], '00201208')).toEqual([2]);
        expect(uids(q({ level: 'series' }), '0020000E')).toEqual(['9.2.1']);
        expect(store.listInstances({ studyInstanceUid: '9.1' })).toEqual([]);
      });

      test("overwrite 'never' (the default): a different object under a stored SOP Instance UID is refused, nothing changes", () => {
        store.commitInstance(instanceWrite(base));
        const before = { rec: store.getInstance('9.1.1.1'), meta: store.metadataJson({ studyInstanceUid: '9.1' }) };
        const frames = store.listFrames('9.1.1.1');
        // The tampering case: same UIDs, another PatientName, hence another content hash.
        const tampered = instanceWrite({ ...base, patientName: 'Evil^Mallory', sha: 'e'.repeat(64), version: 'v2' });
        store.reserveVersion(tampered.versionKey);
        for (const options of [undefined, { overwrite: 'never' as const }]) {
          expect(code(() => store.commitInstance(tampered, options))).toBe('STORE_DUPLICATE_SOP_INSTANCE');
        }
        expect(store.getInstance('9.1.1.1')).toEqual(before.rec);
        expect(store.metadataJson({ studyInstanceUid: '9.1' })).toBe(before.meta);
        expect(store.listFrames('9.1.1.1')).toEqual(frames);
        expect(uids(q({ level: 'study', matches: [{ tag: '00100010', value: 'Evil*' }] }))).toEqual([]);
        expect(values(q({ level: 'study' }).items[0], '00100010')).toEqual([{ Alphabetic: 'A^B' }]);
        // The refused version stays journalled: its writer (or the start-up sweep) deletes its blobs.
        expect(store.hasVersion(tampered.versionKey)).toBe(false);
        expect(store.pendingVersions(Date.now() + 1000)).toEqual([tampered.versionKey]);
        // Identical content is still a no-op under 'never'.
        expect(store.commitInstance(instanceWrite(base))).toEqual({ outcome: 'unchanged', obsoleteVersionKey: null });
      });

      test("overwrite 'always': the different object replaces the stored one", () => {
        store.commitInstance(instanceWrite(base));
        const tampered = instanceWrite({ ...base, patientName: 'Evil^Mallory', sha: 'e'.repeat(64), version: 'v2' });
        expect(store.commitInstance(tampered, { overwrite: 'always' })).toEqual({
          outcome: 'replaced',
          obsoleteVersionKey: '00/9.1.1.1/v1',
        });
        expect(store.getInstance('9.1.1.1')?.contentSha256).toBe('e'.repeat(64));
        expect(values(q({ level: 'study' }).items[0], '00100010')).toEqual([{ Alphabetic: 'Evil^Mallory' }]);
      });

      test('two writers that both found the UID free: the second commit is refused inside its transaction', () => {
        // Both writers checked before writing their blobs (no instance yet) and journalled their
        // versions; the first to commit wins, the other writer's commit is refused by the store.
        const other = h.otherWriter();
        const a = instanceWrite({ ...base, version: 'va', sha: 'a'.repeat(64) });
        const b = instanceWrite({ ...base, patientName: 'Evil^Mallory', version: 'vb', sha: 'b'.repeat(64) });
        expect(store.getInstance('9.1.1.1')).toBeUndefined();
        expect(other.getInstance('9.1.1.1')).toBeUndefined();
        store.reserveVersion(a.versionKey);
        other.reserveVersion(b.versionKey);
        expect(store.commitInstance(a).outcome).toBe('stored');
        expect(code(() => other.commitInstance(b))).toBe('STORE_DUPLICATE_SOP_INSTANCE');
        expect(other.getInstance('9.1.1.1')?.versionKey).toBe(a.versionKey);
        expect(store.pendingVersions(Date.now() + 1000)).toEqual([b.versionKey]);
        // The same race under 'always': the later commit replaces.
        expect(other.commitInstance(b, { overwrite: 'always' })).toEqual({
          outcome: 'replaced',
          obsoleteVersionKey: a.versionKey,
        });
        expect(store.getInstance('9.1.1.1')?.versionKey).toBe(b.versionKey);
      });

      test('a series cannot hold instances of two studies', () => {
        store.commitInstance(instanceWrite(base));
        expect(code(() => store.commitInstance(instanceWrite({ ...base, sop: '9.1.1.9', study: '9.3' })))).toBe(
          'STORE_SERIES_IN_OTHER_STUDY',
        );
        // The failed commit left nothing behind.
        expect(store.getInstance('9.1.1.9')).toBeUndefined();
        expect(uids(q({ level: 'study' }))).toEqual(['9.1']);
      });

      test('inconsistent writes are refused with a typed error', () => {
        const w = instanceWrite(base);
        expect(code(() => store.commitInstance({ ...w, frames: [...w.frames].reverse() }))).toBe('STORE_BAD_WRITE');
        expect(code(() => store.commitInstance({ ...w, sopInstanceUid: '' }))).toBe('STORE_BAD_WRITE');
        expect(
          code(() =>
            store.commitInstance({ ...w, frames: w.frames.map((f) => ({ ...f, codestreamOffset: f.length + 1 })) }),
          ),
        ).toBe('STORE_BAD_WRITE');
        expect(code(() => store.commitInstance({ ...w, versionKey: '../x' }))).toBe('STORE_BLOB_KEY_INVALID');
      });
    });

    describe('frames', () => {
      test('frame rows round-trip, and packet indexes can be filled in later', () => {
        store.commitInstance(instanceWrite({ study: '9.1', series: '9.1.1', sop: '9.1.1.1', frames: 3 }));
        const f2 = store.getFrame('9.1.1.1', 2);
        expect(f2).toEqual({
          sopInstanceUid: '9.1.1.1',
          framesKey: '00/9.1.1.1/v1/frames.bin',
          frameNumber: 2,
          offset: 1000,
          length: 999,
          sha256: '2'.padStart(64, 'f'),
          codestreamOffset: 0,
          transferSyntaxUid: '1.2.840.10008.1.2.4.90',
          summary: {
            width: 512,
            height: 256,
            components: 1,
            bitDepth: 12,
            signed: true,
            levels: 5,
            layers: 3,
            progression: 'RPCL',
            tilesX: 1,
            tilesY: 1,
            precincts: '128x128,128x128',
            htj2k: false,
          },
          packetIndex: null,
        });
        expect(store.listFrames('9.1.1.1').map((f) => [f.frameNumber, f.codestreamOffset])).toEqual([
          [1, 0],
          [2, 0],
          [3, 40],
        ]);
        expect(store.framesWithoutIndex(2).map((f) => f.frameNumber)).toEqual([1, 2]);
        store.setPacketIndex('9.1.1.1', 2, new Uint8Array([1, 2, 3]));
        expect(Array.from(store.getFrame('9.1.1.1', 2)?.packetIndex ?? [])).toEqual([1, 2, 3]);
        expect(store.framesWithoutIndex(10).map((f) => f.frameNumber)).toEqual([1, 3]);
        expect(code(() => store.setPacketIndex('9.9', 1, new Uint8Array(1)))).toBe('STORE_FRAME_NOT_FOUND');
        expect(store.getFrame('9.1.1.1', 4)).toBeUndefined();
      });
    });

    describe('metadata', () => {
      test('instances come in series-number then instance-number order, as objects or one JSON string', () => {
        load();
        const sops = store.metadata({ studyInstanceUid: '1.2.1' }).map((m) => values(m, '00080018')[0]);
        expect(sops).toEqual(['1.2.1.1.1', '1.2.1.1.2', '1.2.1.1.3', '1.2.1.2.1']);
        expect(store.listInstances({ studyInstanceUid: '1.2.1' }).map((r) => r.sopInstanceUid)).toEqual(sops);
        expect(
          store.listInstances({ studyInstanceUid: '1.2.1', seriesInstanceUid: '1.2.1.2' }).map((r) => r.sopInstanceUid),
        ).toEqual(['1.2.1.2.1']);
        const text = store.metadataJson({ studyInstanceUid: '1.2.1', seriesInstanceUid: '1.2.1.1' });
        expect(JSON.parse(text)).toEqual(store.metadata({ studyInstanceUid: '1.2.1', seriesInstanceUid: '1.2.1.1' }));
        expect(store.metadata({ studyInstanceUid: '1.2.1', sopInstanceUid: '1.2.1.2.1' })).toEqual([
          instanceWrite(qidoDataSet()[3] as InstanceSpec).metadata,
        ]);
        expect(store.metadata({ studyInstanceUid: '1.2.2', sopInstanceUid: '1.2.1.2.1' })).toEqual([]);
        expect(store.metadataJson({ studyInstanceUid: '7.7' })).toBe('[]');
      });
    });

    describe('QIDO-RS', () => {
      beforeEach(load);

      test('study level: default attributes, counts, ModalitiesInStudy, stable order', () => {
        const r = q({ level: 'study' });
        expect(uids(r)).toEqual(['1.2.3', '1.2.1', '1.2.5', '1.2.2', '1.2.4']);
        expect(r.total).toBe(5);
        const s1 = r.items[1];
        expect(s1?.['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }] });
        expect(values(s1, '00080061')).toEqual(['CT', 'MR']);
        expect(values(s1, '00201206')).toEqual([2]);
        expect(values(s1, '00201208')).toEqual([4]);
        expect(values(s1, '00080056')).toEqual(['ONLINE']);
        expect(values(s1, '00080020')).toEqual(['20200115']);
        expect(s1?.['00200010']).toEqual({ vr: 'SH' });
        expect(s1?.['00101010']).toBeUndefined();
        expect(Object.keys(s1 ?? {})).toEqual([...Object.keys(s1 ?? {})].sort());
        expect(Object.keys(s1 ?? {})).not.toContain('0020000E');
      });

      test('PN: case-insensitive, accent-insensitive, wildcards, escaping, fuzzy', () => {
        expect(studyMatch('00100010', 'doe*')).toEqual(['1.2.1', '1.2.2']);
        expect(studyMatch('00100010', 'DOE^JOHN')).toEqual(['1.2.1']);
        expect(studyMatch('00100010', 'doe^john')).toEqual(['1.2.1']);
        expect(studyMatch('00100010', 'D?E^J*')).toEqual(['1.2.1', '1.2.2']);
        expect(studyMatch('00100010', 'muller*')).toEqual(['1.2.3']);
        expect(studyMatch('00100010', '*a*')).toEqual(['1.2.5', '1.2.2', '1.2.4']);
        expect(studyMatch('00100010', '[bracket]*')).toEqual(['1.2.5']);
        expect(studyMatch('00100010', '[b*')).toEqual(['1.2.5']);
        expect(studyMatch('00100010', 'jo')).toEqual([]);
        expect(studyMatch('00100010', 'jo', true)).toEqual(['1.2.1']);
        expect(studyMatch('00100010', 'JUR', true)).toEqual(['1.2.3']);
        expect(studyMatch('00100010', 'anna smi', true)).toEqual(['1.2.4']);
        expect(studyMatch('00100010', 'ann doe', true)).toEqual([]);
        expect(studyMatch('00080090', 'greg', true)).toEqual(['1.2.4']);
        expect(studyMatch('00080090', 'smith^bob')).toEqual(['1.2.1']);
      });

      test('text attributes: single value, wildcards, universal matching', () => {
        expect(studyMatch('00080050', 'A100')).toEqual(['1.2.1']);
        expect(studyMatch('00080050', 'a100')).toEqual([]);
        expect(studyMatch('00080050', 'A*')).toEqual(['1.2.1', '1.2.2', '1.2.4']);
        expect(studyMatch('00080050', '?300')).toEqual(['1.2.3']);
        expect(studyMatch('00080050', 'X[1]')).toEqual(['1.2.5']);
        expect(studyMatch('00080050', '*')).toHaveLength(5);
        expect(studyMatch('00080050', '')).toHaveLength(5);
        expect(studyMatch('00100020', 'P2')).toEqual(['1.2.2']);
        expect(studyMatch('00100040', 'F')).toEqual(['1.2.2']);
        expect(studyMatch('00081030', 'Chest*')).toEqual(['1.2.1']);
      });

      test('dates and times: single values and ranges', () => {
        expect(studyMatch('00080020', '20200115')).toEqual(['1.2.1', '1.2.5']);
        expect(studyMatch('00080020', '20200101-20200301')).toEqual(['1.2.1', '1.2.5', '1.2.2']);
        expect(studyMatch('00080020', '-20191231')).toEqual(['1.2.3']);
        expect(studyMatch('00080020', '20210101-')).toEqual(['1.2.4']);
        expect(studyMatch('00080020', '20210101-20200101')).toEqual([]);
        expect(studyMatch('00100030', '-19991231')).toEqual(['1.2.1']);
        expect(studyMatch('00080030', '1000-1100')).toEqual(['1.2.1']);
        expect(studyMatch('00080030', '23')).toEqual(['1.2.5']);
        expect(studyMatch('00080030', '-0900')).toEqual(['1.2.2']);
        expect(studyMatch('00080030', '120000.000000')).toEqual(['1.2.3']);
        for (const bad of ['2020', '2020-01-01', 'abcdefgh', '20200101-2020'])
          expect(code(() => studyMatch('00080020', bad))).toBe('QIDO_BAD_DATE');
        expect(code(() => studyMatch('00080030', '25:00'))).toBe('QIDO_BAD_TIME');
        const dt = (value: string): unknown[] =>
          uids(q({ level: 'instance', matches: [{ tag: '0008002A', value }] }), '00080018');
        expect(dt('20200115101500-20200115101600')).toEqual(['1.2.1.1.2']);
        expect(dt('2020')).toEqual(['1.2.1.1.2']);
        expect(dt('20200115101530.5+0100')).toEqual(['1.2.1.1.2']);
        expect(dt('-2019')).toEqual([]);
        expect(code(() => dt('2020x'))).toBe('QIDO_BAD_DATETIME');
      });

      test('UID lists and ModalitiesInStudy', () => {
        expect(studyMatch('0020000D', '1.2.4,1.2.3')).toEqual(['1.2.3', '1.2.4']);
        expect(studyMatch('0020000D', '1.2.4\\1.2.9')).toEqual(['1.2.4']);
        expect(code(() => studyMatch('0020000D', '1.2.*'))).toBe('QIDO_BAD_UID');
        expect(studyMatch('00080061', 'MR')).toEqual(['1.2.3', '1.2.1']);
        expect(studyMatch('00080061', 'US,CT')).toEqual(['1.2.1', '1.2.5', '1.2.2', '1.2.4']);
        expect(studyMatch('00080061', 'S?')).toEqual(['1.2.4']);
        expect(values(q({ level: 'study', matches: [{ tag: '00080061', value: 'SR' }] }).items[0], '00080061')).toEqual(
          ['SR', 'US'],
        );
        expect(studyMatch('00080056', 'ONLINE')).toHaveLength(5);
        expect(studyMatch('00080056', 'OFFLINE')).toEqual([]);
      });

      test('combined keys are ANDed', () => {
        const r = q({
          level: 'study',
          matches: [
            { tag: '00100010', value: 'DOE*' },
            { tag: '00080020', value: '20200201-' },
          ],
        });
        expect(uids(r)).toEqual(['1.2.2']);
      });

      test('bad keys are typed errors', () => {
        expect(code(() => studyMatch('00280010', '5'))).toBe('QIDO_KEY_BELOW_LEVEL');
        expect(code(() => studyMatch('00080060', 'CT'))).toBe('QIDO_KEY_BELOW_LEVEL');
        expect(code(() => studyMatch('00091001', 'x'))).toBe('QIDO_UNKNOWN_KEY');
        expect(code(() => studyMatch('PatientName', 'x'))).toBe('QIDO_BAD_TAG');
        expect(code(() => studyMatch('00201208', 'many'))).toBe('QIDO_BAD_INTEGER');
        expect(code(() => q({ level: 'series', matches: [{ tag: '00400275', value: 'x' }] }))).toBe(
          'QIDO_SEQUENCE_MATCHING',
        );
        expect(code(() => q({ level: 'study', limit: 0 }))).toBe('QIDO_BAD_LIMIT');
        expect(code(() => q({ level: 'study', offset: -1 }))).toBe('QIDO_BAD_OFFSET');
        expect(code(() => q({ level: 'series', studyInstanceUid: '1.2.x' }))).toBe('QIDO_BAD_PATH_UID');
        expect(code(() => q({ level: 'study', includeFields: ['zz'] }))).toBe('QIDO_BAD_TAG');
        expect(code(() => studyMatch('00100010', 'x'.repeat(2000)))).toBe('QIDO_VALUE_TOO_LONG');
      });

      test('limit, offset and total', () => {
        const page1 = q({ level: 'study', limit: 2 });
        expect(uids(page1)).toEqual(['1.2.3', '1.2.1']);
        expect(page1.total).toBeNull();
        const page3 = q({ level: 'study', limit: 2, offset: 4 });
        expect(uids(page3)).toEqual(['1.2.4']);
        expect(page3.total).toBe(5);
        expect(q({ level: 'study', limit: 2, offset: 9 }).items).toEqual([]);
      });

      test('includefield: tags, all, and attributes from a representative instance', () => {
        const one = (includeFields: string[] | 'all'): DicomJson | undefined =>
          q({ level: 'study', matches: [{ tag: '0020000D', value: '1.2.1' }], includeFields }).items[0];
        expect(values(one(['00101010']), '00101010')).toEqual(['050Y']);
        expect(one(['00101010'])?.['00280010']).toBeUndefined();
        const all = one('all');
        expect(values(all, '00101010')).toEqual(['050Y']);
        expect(values(all, '00081030')).toEqual(['Chest CT']);
        expect(all?.['00280010']).toBeUndefined();
        expect(values(one(['00280010']), '00280010')).toHaveLength(1);
        expect(one(['00091001'])?.['00091001']).toBeUndefined();
        const series = q({ level: 'series', studyInstanceUid: '1.2.1', includeFields: ['00181030'] });
        expect(series.items.map((i) => values(i, '00181030')[0])).toEqual(['Head Routine', 'Brain']);
        const inst = q({
          level: 'instance',
          studyInstanceUid: '1.2.1',
          seriesInstanceUid: '1.2.1.1',
          includeFields: 'all',
          limit: 1,
        }).items[0];
        expect(inst?.['7FE00010']).toEqual({ vr: 'OB', BulkDataURI: 'bulkdata/7FE00010' });
        expect(values(inst, '00080008')).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
      });

      test('series level: scoping, matching, upper-level attributes only when the path leaves them open', () => {
        const scoped = q({ level: 'series', studyInstanceUid: '1.2.1' });
        expect(uids(scoped, '0020000E')).toEqual(['1.2.1.1', '1.2.1.2']);
        expect(values(scoped.items[0], '00201209')).toEqual([3]);
        expect(values(scoped.items[0], '00080060')).toEqual(['CT']);
        expect(scoped.items[0]?.['00100010']).toBeUndefined();
        expect(scoped.items[0]?.['00400275']).toEqual({ vr: 'SQ' });
        const all = q({ level: 'series', matches: [{ tag: '00080060', value: 'CT' }] });
        expect(uids(all, '0020000E')).toEqual(['1.2.1.1', '1.2.5.1', '1.2.2.1']);
        expect(values(all.items[0], '00100010')).toEqual([{ Alphabetic: 'Doe^John' }]);
        expect(uids(q({ level: 'series', matches: [{ tag: '00100010', value: 'smith*' }] }), '0020000E')).toEqual([
          '1.2.4.1',
          '1.2.4.2',
        ]);
        expect(uids(q({ level: 'series', matches: [{ tag: '00181030', value: 'Head*' }] }), '0020000E')).toEqual([
          '1.2.1.1',
        ]);
        expect(uids(q({ level: 'series', matches: [{ tag: '00200011', value: '2' }] }), '0020000E')).toEqual([
          '1.2.1.2',
          '1.2.4.2',
        ]);
        expect(code(() => q({ level: 'series', matches: [{ tag: '00080018', value: '1.2' }] }))).toBe(
          'QIDO_KEY_BELOW_LEVEL',
        );
        expect(q({ level: 'series', studyInstanceUid: '7.7' }).items).toEqual([]);
      });

      test('property: random keys and values give results or BadRequestError, never another error', () => {
        const tags = [
          '00100010',
          '00080020',
          '00080030',
          '0020000D',
          '00080061',
          '00080050',
          '00201208',
          '00080060',
          '00200011',
          '00080008',
          '0008002A',
          '00181030',
          '00400275',
          '00091001',
        ];
        fc.assert(
          fc.property(
            fc.constantFrom<'study' | 'series' | 'instance'>('study', 'series', 'instance'),
            fc.constantFrom(...tags),
            fc.string({ maxLength: 20 }),
            fc.boolean(),
            (level, tag, value, fuzzyMatching) => {
              try {
                const r = q({ level, matches: [{ tag, value }], fuzzyMatching, limit: 3 });
                expect(r.items.length).toBeLessThanOrEqual(3);
              } catch (err) {
                expect(err).toBeInstanceOf(BadRequestError);
              }
            },
          ),
          { numRuns: 300 },
        );
      });

      test('instance level: columns, JSON-matched keys, scoping and paging', () => {
        const scope = { studyInstanceUid: '1.2.1', seriesInstanceUid: '1.2.1.1' };
        const r = q({ level: 'instance', ...scope, limit: 1, offset: 1 });
        expect(uids(r, '00080018')).toEqual(['1.2.1.1.2']);
        expect(r.total).toBeNull();
        const third = q({ level: 'instance', ...scope, matches: [{ tag: '00200013', value: '3' }] }).items[0];
        expect(values(third, '00280008')).toEqual([3]);
        expect(values(third, '00280010')).toEqual([256]);
        expect(values(third, '00080016')).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
        expect(third?.['0020000E']).toBeUndefined();
        expect(third?.['00100010']).toBeUndefined();
        const open = q({ level: 'instance', matches: [{ tag: '00280010', value: '128' }] });
        expect(uids(open, '00080018')).toEqual(['1.2.1.2.1']);
        expect(values(open.items[0], '0020000E')).toEqual(['1.2.1.2']);
        expect(values(open.items[0], '0020000D')).toEqual(['1.2.1']);
        const json = (tag: string, value: string): unknown[] =>
          uids(q({ level: 'instance', matches: [{ tag, value }] }), '00080018');
        expect(json('00080008', 'LOCALIZER')).toEqual(['1.2.1.1.2']);
        expect(json('00080008', 'LOC*')).toEqual(['1.2.1.1.2']);
        expect(json('00080008', 'localizer')).toEqual([]);
        expect(json('00080008', 'AXIAL')).toHaveLength(8);
        expect(
          values(q({ level: 'instance', matches: [{ tag: '00080008', value: 'LOCALIZER' }] }).items[0], '00080008'),
        ).toEqual(['ORIGINAL', 'PRIMARY', 'LOCALIZER']);
        expect(json('00080018', '1.2.5.1.1,1.2.2.1.1')).toEqual(['1.2.5.1.1', '1.2.2.1.1']);
        expect(json('00100010', 'MÜLLER*')).toEqual(['1.2.3.1.1']);
        expect(json('00080060', 'SR')).toEqual(['1.2.4.2.1']);
        expect(
          values(q({ level: 'instance', matches: [{ tag: '00080060', value: 'SR' }] }).items[0], '00280008'),
        ).toEqual([]);
        const studyScoped = q({ level: 'instance', studyInstanceUid: '1.2.4' });
        expect(uids(studyScoped, '00080018')).toEqual(['1.2.4.1.1', '1.2.4.2.1']);
        expect(values(studyScoped.items[0], '0020000E')).toEqual(['1.2.4.1']);
        expect(studyScoped.items[0]?.['00100010']).toBeUndefined();
      });
    });
  });
}
