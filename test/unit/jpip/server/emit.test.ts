// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The planned length of a response (planLength: message headers + bodies + EOR, 15444-9 A.2, D.3)
// is exactly what emitResponse produces, for whole, windowed, len-cut, jpt-stream and ptype=ext
// responses of real codestreams; and a read failure in a later batch stops the body short of the
// planned length (so an HTTP Content-Length is never matched by a wrong body, only cut short).

import { MalformedError } from '../../../../src/bytes';
import { buildPacketIndex } from '../../../../src/j2k';
import {
  CacheModel,
  emitResponse,
  parseJpipQuery,
  planLength,
  planResponse,
  prepareFrame,
  type CodestreamReader,
  type FrameModel,
} from '../../../../src/jpip';
import { loadCorpusCodestream } from '../../j2k/corpus-helper';

/** Reads the codestream; ranges ending beyond `shortFrom` come back one byte short (a truncated file). */
function reader(cs: Uint8Array, shortFrom = Infinity): CodestreamReader {
  return {
    read: (offset, length) =>
      Promise.resolve(cs.subarray(offset, offset + (offset + length > shortFrom ? length - 1 : length))),
  };
}

async function model(name: string): Promise<{ cs: Uint8Array; model: FrameModel }> {
  const cs = loadCorpusCodestream(name);
  return { cs, model: await prepareFrame(buildPacketIndex(cs), reader(cs)) };
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of body) parts.push(c);
  return Buffer.concat(parts);
}

test.each([
  ['p0_03.j2k', 'fsiz=1024,1024'],
  ['p1_02.j2k', 'fsiz=640,480&roff=100,50&rsiz=200,200'],
  ['p0_05.j2k', 'fsiz=256,256&len=3000'],
  ['p0_05.j2k', 'fsiz=256,256&len=3000&align=yes'],
  ['p1_04.j2k', 'fsiz=512,512&type=jpt-stream'],
  ['p0_09.j2k', 'fsiz=64,64&type=jpp-stream;ptype=ext&layers=1'],
  ['p0_03.j2k', 'metareq=[*]!!'],
])('%s %s: planLength equals the emitted body', async (name, query) => {
  const { cs, model: m } = await model(name);
  const request = parseJpipQuery(query);
  const jpt = query.includes('jpt-stream');
  const plan = planResponse(request, [{ csn: 1, model: m }], new CacheModel(), {
    returnType: jpt ? 'jpt-stream' : 'jpp-stream',
    extended: query.includes('ptype=ext'),
  });
  const body = await collect(emitResponse(plan, new Map([[1, reader(cs)]]), { batchBytes: 4096 }));
  expect(body.length).toBe(planLength(plan));
});

test('a short read in a later batch throws JPIP_SHORT_READ after fewer bytes than planned', async () => {
  const { cs, model: m } = await model('p0_03.j2k');
  const plan = planResponse(parseJpipQuery('fsiz=1024,1024'), [{ csn: 1, model: m }], new CacheModel(), {
    returnType: 'jpp-stream',
    extended: false,
  });
  const produced: number[] = [];
  let error: unknown;
  try {
    for await (const c of emitResponse(plan, new Map([[1, reader(cs, cs.length - 4)]]), {
      batchBytes: 1024,
      mergeGap: 0,
    }))
      produced.push(c.length);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MalformedError);
  expect((error as MalformedError).code).toBe('JPIP_SHORT_READ');
  expect(produced.length).toBeGreaterThan(0); // the failure came after bytes were out
  expect(produced.reduce((a, b) => a + b, 0)).toBeLessThan(planLength(plan));
});
