// Streaming multipart reader/writer: chunk-border sweeps, preamble/epilogue, LF variants,
// truncation, limits, malformed input, and a writer→reader round-trip property (fast-check).
import fc from 'fast-check';
import {
  readMultipart,
  boundaryFromContentType,
  DEFAULT_MULTIPART_LIMITS,
  validateBoundary,
  type MultipartLimits,
  type PartHeaders,
} from '../../../src/http/multipart-reader';
import {
  encodeMultipart,
  multipartContentType,
  randomBoundary,
  type OutgoingPart,
} from '../../../src/http/multipart-writer';
import { FoveaError } from '../../../src/errors';

interface Got {
  headers: PartHeaders;
  body: Buffer;
}

async function* chunked(buf: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
  let pos = 0;
  let k = 0;
  while (pos < buf.length) {
    const n = Math.max(1, sizes.length === 0 ? buf.length : (sizes[k % sizes.length] ?? 1));
    yield buf.subarray(pos, pos + n);
    pos += n;
    k += 1;
  }
}

async function* splitAt(buf: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let prev = 0;
  for (const c of [...cuts, buf.length]) {
    yield buf.subarray(prev, c);
    prev = c;
  }
}

async function collect(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: Partial<MultipartLimits> = {},
): Promise<Got[]> {
  const out: Got[] = [];
  await readMultipart(
    source,
    boundary,
    async (part) => {
      const chunks: Buffer[] = [];
      for await (const c of part.body) chunks.push(Buffer.from(c));
      out.push({ headers: part.headers, body: Buffer.concat(chunks) });
    },
    limits,
  );
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FoveaError) return `${e.name}:${e.code}`;
    throw e;
  }
  return 'ok';
}

const B = 'abc-123';
const body1 = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255, 13]); // contains CR LF "--" and ends in CR
const sample = Buffer.concat([
  Buffer.from(`preamble text\r\n--${B}\r\nContent-Type: application/dicom\r\nContent-Location: a/b\r\n\r\n`),
  body1,
  Buffer.from(`\r\n--${B}  \r\ncontent-type: application/dicom\r\nX-Folded: one\r\n two\r\n\r\n`),
  Buffer.from('second'),
  Buffer.from(`\r\n--${B}--\r\nepilogue here`),
]);

describe('readMultipart', () => {
  it('parses parts, headers, padding, folding, preamble and epilogue', async () => {
    const parts = await collect(chunked(sample, []), B);
    expect(parts).toHaveLength(2);
    expect(parts[0]?.headers.contentType).toBe('application/dicom');
    expect(parts[0]?.headers.contentLocation).toBe('a/b');
    expect(parts[0]?.body.equals(body1)).toBe(true);
    expect(parts[1]?.headers.all.get('x-folded')).toBe('one two');
    expect(parts[1]?.body.toString()).toBe('second');
  });

  it('gives the same result for every single split position and for every pair of cuts near delimiters', async () => {
    const expected = await collect(chunked(sample, []), B);
    for (let cut = 0; cut <= sample.length; cut += 1) {
      const got = await collect(splitAt(sample, [cut]), B);
      expect(got.map((g) => g.body.toString('hex'))).toEqual(expected.map((g) => g.body.toString('hex')));
    }
    for (let a = 0; a < sample.length; a += 3) {
      for (let b = a; b <= sample.length; b += 5) {
        const got = await collect(splitAt(sample, [a, b]), B);
        expect(got.map((g) => g.body.toString('hex'))).toEqual(expected.map((g) => g.body.toString('hex')));
      }
    }
  });

  it('works with one-byte chunks', async () => {
    const got = await collect(chunked(sample, [1]), B);
    expect(got[0]?.body.equals(body1)).toBe(true);
    expect(got[1]?.body.toString()).toBe('second');
  });

  it('accepts a body that starts directly with the delimiter, bare LF line ends, empty parts and no headers', async () => {
    const lf = Buffer.from(`--${B}\nContent-Type: text/plain\n\nhello\n--${B}\n\n\n--${B}\r\n\r\nx\r\n--${B}--`);
    const got = await collect(chunked(lf, [4]), B);
    expect(got.map((g) => g.body.toString())).toEqual(['hello', '', 'x']);
    expect(got[1]?.headers.contentType).toBeNull();
    expect(got[1]?.headers.all.size).toBe(0);
  });

  it('returns zero parts for a body with only the close delimiter', async () => {
    expect(await collect(chunked(Buffer.from(`--${B}--\r\n`), []), B)).toEqual([]);
  });

  it('skips what the callback does not read', async () => {
    const seen: number[] = [];
    await readMultipart(chunked(sample, [3]), B, async (p) => {
      seen.push(p.index);
    });
    expect(seen).toEqual([0, 1]);
  });

  it('reports truncation at every cut point as TruncatedError (never a RangeError or a hang)', async () => {
    const firstDelim = sample.indexOf(`--${B}`);
    const closeEnd = sample.indexOf(`--${B}--`) + `--${B}--`.length;
    for (let cut = 0; cut < closeEnd; cut += 1) {
      const code = await codeOf(collect(chunked(sample.subarray(0, cut), [7]), B));
      if (cut < firstDelim + B.length + 2) expect(code).toBe('MalformedError:MULTIPART_NO_DELIMITER');
      else expect(code).toBe('TruncatedError:MULTIPART_TRUNCATED');
    }
    expect(await codeOf(collect(chunked(sample.subarray(0, closeEnd), [7]), B))).toBe('ok');
  });

  it('rejects malformed input with typed errors', async () => {
    const cases: [string, string][] = [
      [`--${B}\r\nBad Header Line\r\n\r\nx\r\n--${B}--`, 'MalformedError:MULTIPART_BAD_HEADER'],
      [`--${B}\r\nA: 1\r\na: 2\r\n\r\nx\r\n--${B}--`, 'MalformedError:MULTIPART_DUPLICATE_HEADER'],
      [`--${B}X\r\n\r\nx\r\n--${B}--`, 'MalformedError:MULTIPART_BAD_DELIMITER'],
      [`--${B}\r\nContent-Length: 12x\r\n\r\nx\r\n--${B}--`, 'MalformedError:MULTIPART_BAD_CONTENT_LENGTH'],
      [`--${B}\r\nContent-Length: 3\r\n\r\nx\r\n--${B}--`, 'MalformedError:MULTIPART_LENGTH_MISMATCH'],
      [
        `--${B}\r\nContent-Transfer-Encoding: base64\r\n\r\nx\r\n--${B}--`,
        'MalformedError:MULTIPART_TRANSFER_ENCODING',
      ],
      ['no delimiter at all', 'MalformedError:MULTIPART_NO_DELIMITER'],
      ['', 'MalformedError:MULTIPART_NO_DELIMITER'],
    ];
    for (const [text, code] of cases) expect(await codeOf(collect(chunked(Buffer.from(text), [5]), B))).toBe(code);
  });

  it('enforces every limit with LimitExceededError', async () => {
    const twoParts = Buffer.from(`--${B}\r\n\r\n0123456789\r\n--${B}\r\n\r\nab\r\n--${B}--`);
    expect(await codeOf(collect(chunked(twoParts, [4]), B, { maxParts: 1 }))).toBe(
      'LimitExceededError:MULTIPART_TOO_MANY_PARTS',
    );
    expect(await codeOf(collect(chunked(twoParts, [4]), B, { maxPartBytes: 9 }))).toBe(
      'LimitExceededError:MULTIPART_PART_TOO_LARGE',
    );
    expect(await codeOf(collect(chunked(twoParts, [4]), B, { maxPartBytes: 10 }))).toBe('ok');
    expect(await codeOf(collect(chunked(twoParts, [4]), B, { maxBodyBytes: twoParts.length - 1 }))).toBe(
      'LimitExceededError:MULTIPART_BODY_TOO_LARGE',
    );
    const huge = Buffer.from(`--${B}\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\nx\r\n--${B}--`);
    expect(await codeOf(collect(chunked(huge, [1000]), B, { maxHeaderBytes: 1024 }))).toBe(
      'LimitExceededError:MULTIPART_HEADERS_TOO_LARGE',
    );
    const declared = Buffer.from(`--${B}\r\nContent-Length: 99999\r\n\r\nx\r\n--${B}--`);
    expect(await codeOf(collect(chunked(declared, []), B, { maxPartBytes: 100 }))).toBe(
      'LimitExceededError:MULTIPART_PART_TOO_LARGE',
    );
  });

  it('passes a body error to the consumer and fails the whole read even if the consumer swallows it', async () => {
    const big = Buffer.from(`--${B}\r\n\r\n${'z'.repeat(50)}\r\n--${B}--`);
    let consumerSaw = '';
    const p = readMultipart(
      chunked(big, [8]),
      B,
      async (part) => {
        try {
          for await (const c of part.body) void c;
        } catch (e) {
          consumerSaw = e instanceof FoveaError ? e.code : 'other';
        }
      },
      { maxPartBytes: 20 },
    );
    expect(await codeOf(p)).toBe('LimitExceededError:MULTIPART_PART_TOO_LARGE');
    expect(consumerSaw).toBe('MULTIPART_PART_TOO_LARGE');
  });
});

describe('boundaryFromContentType', () => {
  it('extracts quoted and token boundaries and rejects bad ones', async () => {
    expect(boundaryFromContentType('multipart/related; type="application/dicom"; boundary="a b:c"')).toBe('a b:c');
    expect(boundaryFromContentType('Multipart/Related; boundary=xyz')).toBe('xyz');
    expect(await codeOf(Promise.resolve().then(() => boundaryFromContentType('multipart/related; type=x')))).toBe(
      'MalformedError:MULTIPART_NO_BOUNDARY',
    );
    expect(
      await codeOf(
        Promise.resolve().then(() => boundaryFromContentType(`multipart/related; boundary=${'a'.repeat(257)}`)),
      ),
    ).toBe('LimitExceededError:MULTIPART_BOUNDARY_TOO_LONG');
    expect(
      await codeOf(Promise.resolve().then(() => boundaryFromContentType('multipart/related; boundary="ends "'))),
    ).toBe('MalformedError:MULTIPART_BAD_BOUNDARY');
    expect(await codeOf(Promise.resolve().then(() => boundaryFromContentType('application/dicom')))).toBe(
      'UnsupportedMediaTypeError:MULTIPART_NOT_MULTIPART',
    );
    expect(await codeOf(Promise.resolve().then(() => boundaryFromContentType(undefined)))).toBe(
      'UnsupportedMediaTypeError:MULTIPART_NO_CONTENT_TYPE',
    );
  });
});

// RFC 2046 §5.1.1 limits boundaries to 70 characters, but that binds senders: Orthanc 1.10 sends
// two UUIDs (73). Accepted up to maxBoundaryLength (default 256); longer → 413; bad chars → 400.
describe('boundary length (liberal in what is accepted)', () => {
  const orthancBoundary = `${'0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'}-${'5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b'}`;
  const cap = DEFAULT_MULTIPART_LIMITS.maxBoundaryLength;
  const body = (b: string): Buffer =>
    Buffer.from(`--${b}\r\nContent-Type: application/dicom\r\n\r\nDATA-${b.length}\r\n--${b}--\r\n`, 'latin1');
  const read = async (b: string, limits: Partial<MultipartLimits> = {}): Promise<string[]> =>
    (await collect(chunked(body(b), [7]), b, limits)).map((p) => p.body.toString('latin1'));

  it('reads bodies whose boundary is 70, 73 (Orthanc) and exactly the cap characters long', async () => {
    expect(orthancBoundary).toHaveLength(73);
    expect(cap).toBe(256);
    for (const b of ['b'.repeat(70), orthancBoundary, `${'c'.repeat(cap - 1)}z`]) {
      expect(validateBoundary(b)).toBe(b);
      expect(await read(b)).toEqual([`DATA-${b.length}`]);
    }
    expect(boundaryFromContentType(`multipart/related; type="application/dicom"; boundary=${orthancBoundary}`)).toBe(
      orthancBoundary,
    );
  });

  it('refuses cap+1 characters as a limit (413 LimitExceededError), also below a configured cap', async () => {
    const over = 'd'.repeat(cap + 1);
    expect(await codeOf(read(over))).toBe('LimitExceededError:MULTIPART_BOUNDARY_TOO_LONG');
    expect(await codeOf(Promise.resolve().then(() => validateBoundary(over)))).toBe(
      'LimitExceededError:MULTIPART_BOUNDARY_TOO_LONG',
    );
    expect(await read(orthancBoundary, { maxBoundaryLength: 73 })).toEqual(['DATA-73']);
    expect(await codeOf(read(orthancBoundary, { maxBoundaryLength: 72 }))).toBe(
      'LimitExceededError:MULTIPART_BOUNDARY_TOO_LONG',
    );
  });

  it('still refuses characters outside the RFC 2046 set, a trailing space and an empty boundary (400)', async () => {
    for (const b of [`${'e'.repeat(80)};`, `${'f'.repeat(80)} `, '', 'a"b'])
      expect(await codeOf(Promise.resolve().then(() => validateBoundary(b)))).toBe(
        'MalformedError:MULTIPART_BAD_BOUNDARY',
      );
  });
});

describe('encodeMultipart → readMultipart round trip', () => {
  it('formats the Content-Type with type and boundary', () => {
    expect(multipartContentType('application/dicom', 'b1', [['transfer-syntax', '1.2.840.10008.1.2.1']])).toBe(
      'multipart/related; type="application/dicom"; boundary=b1; transfer-syntax=1.2.840.10008.1.2.1',
    );
    expect(randomBoundary()).toMatch(/^fovea-[0-9a-f]{32}$/);
  });

  it('holds for arbitrary part bodies, headers and chunkings (property)', async () => {
    const partArb = fc.record({
      body: fc.uint8Array({ maxLength: 300 }),
      location: fc.option(fc.webPath(), { nil: undefined }),
      withLength: fc.boolean(),
      asChunks: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(partArb, { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 6 }),
        async (specs, chunking) => {
          const boundary = randomBoundary();
          const parts: OutgoingPart[] = specs.map((s) => ({
            contentType: 'application/dicom; transfer-syntax=1.2.840.10008.1.2.4.90',
            ...(s.location !== undefined && s.location !== '' ? { contentLocation: s.location } : {}),
            ...(s.withLength ? { contentLength: s.body.length } : {}),
            body:
              s.asChunks.length === 0
                ? s.body
                : (function* () {
                    let p = 0;
                    for (const n of s.asChunks) {
                      yield s.body.subarray(p, p + n);
                      p += n;
                    }
                    yield s.body.subarray(p);
                  })(),
          }));
          const chunks: Buffer[] = [];
          for await (const c of encodeMultipart(parts, boundary)) chunks.push(Buffer.from(c));
          const got = await collect(chunked(Buffer.concat(chunks), chunking), boundary);
          expect(got).toHaveLength(specs.length);
          got.forEach((g, i) => {
            const spec = specs[i];
            if (spec === undefined) throw new Error('index');
            expect(g.body.equals(Buffer.from(spec.body))).toBe(true);
            expect(g.headers.contentType).toBe('application/dicom; transfer-syntax=1.2.840.10008.1.2.4.90');
            expect(g.headers.contentLength).toBe(spec.withLength ? spec.body.length : null);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
