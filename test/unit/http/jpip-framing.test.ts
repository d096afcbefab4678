// The JPIP framing rule (src/http/jpip-framing.ts, conformance/jpip.md "HTTP framing"):
// Content-Length unless chunked is enabled, the client speaks HTTP/1.1, the request is in a
// session and the planned body reaches the threshold; an unknown length can only be chunked.
import { jpipFraming, type JpipFramingInput } from '../../../src/http/jpip-framing';

const base: JpipFramingInput = { httpVersion: '1.1', length: 1_000_000, inSession: true, chunkedMinBytes: 65536 };

test('chunked only for a large session response to an HTTP/1.1 client with chunking enabled', () => {
  expect(jpipFraming(base)).toBe('chunked');
  expect(jpipFraming({ ...base, length: 65536 })).toBe('chunked');
  expect(jpipFraming({ ...base, length: 65535 })).toBe('content-length');
  expect(jpipFraming({ ...base, inSession: false })).toBe('content-length');
  expect(jpipFraming({ ...base, httpVersion: '1.0' })).toBe('content-length');
  expect(jpipFraming({ ...base, chunkedMinBytes: 0 })).toBe('content-length');
});

test('a body whose length is not known in advance is chunked', () => {
  expect(jpipFraming({ ...base, length: undefined, chunkedMinBytes: 0 })).toBe('chunked');
});
