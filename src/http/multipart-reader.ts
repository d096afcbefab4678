// Streaming multipart/related reader for STOW-RS (RFC 2387; body syntax of RFC 2046 §5.1.1).
// Pulls the request stream chunk by chunk, finds delimiters across chunk borders with a sliding
// window (keeps only delimiter-length bytes between chunks), parses each part's headers and hands
// the part body to a callback as an AsyncIterable, so a part of any size goes to disk without
// being held in memory. Limits are checked as bytes arrive (LimitExceededError); a body that ends
// before the close delimiter is a TruncatedError; a missing/invalid boundary is a MalformedError
// (a boundary over maxBoundaryLength, default 256, a LimitExceededError; see validateBoundary).
// Tolerated: preamble/epilogue, transport padding, bare-LF line ends. Not supported: nested
// multiparts inside a part (handed over as opaque bytes), Content-Transfer-Encoding other than binary.
// Delimiter scanning is a byte search over a sliding window, so ByteReader (a fixed-buffer cursor) is not used.

import { LimitExceededError, MalformedError, TruncatedError } from '../bytes';
import { UnsupportedMediaTypeError } from '../errors';
import { parseMediaType } from './media-type';

export interface MultipartLimits {
  maxParts: number;
  maxPartBytes: number;
  /** Largest header block of one part (and largest run of transport padding). */
  maxHeaderBytes: number;
  /** Largest whole body, preamble and epilogue included. */
  maxBodyBytes: number;
  /** Longest boundary accepted (RFC 2046's 70 binds senders; Orthanc sends 73). */
  maxBoundaryLength: number;
}

/** RFC 2046 §5.1.1 limit for senders; a receiver never refuses a boundary this long. */
export const RFC2046_BOUNDARY_LENGTH = 70;

export const DEFAULT_MULTIPART_LIMITS: Readonly<MultipartLimits> = Object.freeze({
  maxParts: 10_000,
  maxPartBytes: 4 * 1024 ** 3,
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 8 * 1024 ** 3,
  maxBoundaryLength: 256,
});

export interface PartHeaders {
  contentType: string | null;
  contentLocation: string | null;
  contentLength: number | null;
  /** Every header, name lower-cased. */
  all: ReadonlyMap<string, string>;
}

export interface MultipartPart {
  /** 0-based position of the part in the body. */
  index: number;
  headers: PartHeaders;
  /** The part's bytes; iterate once. Whatever the callback leaves unread is skipped. */
  body: AsyncIterable<Uint8Array>;
}

export interface MultipartSummary {
  parts: number;
  bodyBytes: number;
}

const CR = 0x0d;
const LF = 0x0a;
const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * RFC 2046 §5.1.1: boundary := 0*69<bchars> bcharsnospace. The character set is enforced
 * (MalformedError, 400); the 70-character length is a rule for senders that real senders break
 * (Orthanc 1.10 sends two UUIDs, 73 characters), so any length up to `maxLength` is accepted
 * (RFC 1122 §1.2.2 robustness) and a longer one is a LimitExceededError (413).
 */
export function validateBoundary(
  boundary: string,
  maxLength: number = DEFAULT_MULTIPART_LIMITS.maxBoundaryLength,
): string {
  if (boundary.length > maxLength) {
    throw new LimitExceededError(
      'MULTIPART_BOUNDARY_TOO_LONG',
      `multipart boundary is ${boundary.length} characters, more than the ${maxLength} accepted`,
    );
  }
  if (!BCHARS.test(boundary)) {
    throw new MalformedError(
      'MULTIPART_BAD_BOUNDARY',
      'multipart boundary must be 1 or more characters from the RFC 2046 set, not ending in a space',
    );
  }
  return boundary;
}

/** The boundary of a multipart Content-Type (415 if not multipart, 400 if the boundary is missing or invalid). */
export function boundaryFromContentType(
  contentType: string | undefined,
  maxLength: number = DEFAULT_MULTIPART_LIMITS.maxBoundaryLength,
): string {
  if (contentType === undefined)
    throw new UnsupportedMediaTypeError('MULTIPART_NO_CONTENT_TYPE', 'the request has no Content-Type');
  const mt = parseMediaType(contentType);
  if (mt.type !== 'multipart')
    throw new UnsupportedMediaTypeError(
      'MULTIPART_NOT_MULTIPART',
      `expected a multipart body, got ${mt.type}/${mt.subtype}`,
    );
  const b = mt.params.get('boundary');
  if (b === undefined)
    throw new MalformedError('MULTIPART_NO_BOUNDARY', 'the multipart Content-Type has no boundary parameter');
  return validateBoundary(b, maxLength);
}

function parseHeaderBlock(text: string): PartHeaders {
  const all = new Map<string, string>();
  const lines: string[] = [];
  for (const line of text === '' ? [] : text.split(/\r?\n/)) {
    const prev = lines.length - 1;
    if ((line.startsWith(' ') || line.startsWith('\t')) && prev >= 0)
      lines[prev] += ' ' + line.trim(); // obsolete folding
    else lines.push(line);
  }
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = (colon < 0 ? '' : line.slice(0, colon)).toLowerCase();
    if (!HEADER_NAME.test(name))
      throw new MalformedError('MULTIPART_BAD_HEADER', `malformed part header line "${line.slice(0, 80)}"`);
    if (all.has(name)) throw new MalformedError('MULTIPART_DUPLICATE_HEADER', `part header "${name}" appears twice`);
    all.set(name, line.slice(colon + 1).trim());
  }
  const lengthRaw = all.get('content-length');
  let contentLength: number | null = null;
  if (lengthRaw !== undefined) {
    if (!/^\d{1,15}$/.test(lengthRaw))
      throw new MalformedError(
        'MULTIPART_BAD_CONTENT_LENGTH',
        `part Content-Length "${lengthRaw}" is not a whole number`,
      );
    contentLength = Number(lengthRaw);
  }
  const cte = all.get('content-transfer-encoding')?.toLowerCase();
  if (cte !== undefined && cte !== 'binary' && cte !== '8bit' && cte !== '7bit') {
    throw new MalformedError(
      'MULTIPART_TRANSFER_ENCODING',
      `part Content-Transfer-Encoding "${cte}" is not supported (binary only)`,
    );
  }
  return {
    contentType: all.get('content-type') ?? null,
    contentLocation: all.get('content-location') ?? null,
    contentLength,
    all,
  };
}

class Reader {
  /** Starts with a virtual CRLF so that a body opening with "--boundary" matches like any other delimiter. */
  private buf: Buffer = Buffer.from('\r\n');
  private eof = false;
  private failure: Error | undefined = undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly delim: Buffer;
  private readonly it: AsyncIterator<Uint8Array>;
  bodyBytes = 0;
  // State of the current part body.
  private bodyDone = true;
  private partBytes = 0;
  private partLength: number | null = null;

  constructor(
    source: AsyncIterable<Uint8Array>,
    boundary: string,
    private readonly limits: MultipartLimits,
  ) {
    this.delim = Buffer.from(`\n--${boundary}`, 'latin1');
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const r = await this.it.next();
    if (r.done === true) {
      this.eof = true;
      return false;
    }
    const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.bodyBytes += chunk.length;
    if (this.bodyBytes > this.limits.maxBodyBytes) {
      throw new LimitExceededError(
        'MULTIPART_BODY_TOO_LARGE',
        `request body exceeds ${this.limits.maxBodyBytes} bytes`,
        { offset: this.bodyBytes },
      );
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return true;
  }

  private async needMore(code: string, what: string): Promise<void> {
    if (!(await this.fill()))
      throw new TruncatedError(code, `multipart body ended ${what}`, { offset: this.bodyBytes });
  }

  /** Runs `fn` after every earlier call has settled; a failure poisons the reader. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.failure !== undefined) throw this.failure;
      try {
        return await fn();
      } catch (e) {
        this.failure = e instanceof Error ? e : new Error(String(e));
        throw e;
      }
    };
    const p = this.chain.then(run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  async skipPreamble(): Promise<void> {
    for (;;) {
      const i = this.buf.indexOf(this.delim);
      if (i >= 0) {
        this.buf = this.buf.subarray(i + this.delim.length);
        return;
      }
      this.buf = this.buf.subarray(Math.max(0, this.buf.length - this.delim.length + 1));
      if (!(await this.fill()))
        throw new MalformedError('MULTIPART_NO_DELIMITER', 'the body contains no delimiter for the declared boundary');
    }
  }

  /** After "--boundary": "--" closes; else transport padding then CRLF (or LF) opens a part. */
  async afterDelimiter(): Promise<'close' | 'part'> {
    while (this.buf.length < 2) await this.needMore('MULTIPART_TRUNCATED', 'inside a delimiter line');
    if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) return 'close';
    let i = 0;
    for (;;) {
      while (i < this.buf.length && (this.buf[i] === 0x20 || this.buf[i] === 0x09)) i += 1;
      if (i > this.limits.maxHeaderBytes)
        throw new LimitExceededError('MULTIPART_PADDING_TOO_LONG', 'transport padding after a delimiter is too long');
      if (i + 1 < this.buf.length || (i < this.buf.length && this.buf[i] !== CR)) break;
      await this.needMore('MULTIPART_TRUNCATED', 'inside a delimiter line');
    }
    if (this.buf[i] === LF) i += 1;
    else if (this.buf[i] === CR && this.buf[i + 1] === LF) i += 2;
    else
      throw new MalformedError(
        'MULTIPART_BAD_DELIMITER',
        'a boundary delimiter is followed by something other than CRLF or "--"',
        { offset: this.bodyBytes },
      );
    this.buf = this.buf.subarray(i);
    return 'part';
  }

  private headerEnd(): { end: number; next: number } | null {
    const b = this.buf;
    if (b[0] === LF) return { end: 0, next: 1 };
    if (b[0] === CR) return b.length < 2 ? null : b[1] === LF ? { end: 0, next: 2 } : { end: -1, next: -1 };
    let from = 0;
    for (;;) {
      const j = b.indexOf(LF, from);
      if (j < 0 || j + 1 >= b.length) return null;
      if (b[j + 1] === LF) return { end: j, next: j + 2 };
      if (b[j + 1] === CR) {
        if (j + 2 >= b.length) return null;
        if (b[j + 2] === LF) return { end: j, next: j + 3 };
      }
      from = j + 1;
    }
  }

  async readHeaders(): Promise<PartHeaders> {
    for (;;) {
      const h = this.headerEnd();
      if (h !== null && h.end < 0)
        throw new MalformedError('MULTIPART_BAD_HEADER', 'bare CR in part headers', { offset: this.bodyBytes });
      if (h !== null && h.end <= this.limits.maxHeaderBytes) {
        const text = this.buf.subarray(0, h.end).toString('latin1');
        this.buf = this.buf.subarray(h.next);
        const headers = parseHeaderBlock(text);
        if (headers.contentLength !== null && headers.contentLength > this.limits.maxPartBytes) {
          throw new LimitExceededError(
            'MULTIPART_PART_TOO_LARGE',
            `part declares ${headers.contentLength} bytes, more than ${this.limits.maxPartBytes}`,
          );
        }
        this.bodyDone = false;
        this.partBytes = 0;
        this.partLength = headers.contentLength;
        return headers;
      }
      if (this.buf.length > this.limits.maxHeaderBytes) {
        throw new LimitExceededError(
          'MULTIPART_HEADERS_TOO_LARGE',
          `part headers exceed ${this.limits.maxHeaderBytes} bytes`,
          { offset: this.bodyBytes },
        );
      }
      await this.needMore('MULTIPART_TRUNCATED', 'inside part headers');
    }
  }

  private account(chunk: Buffer, last: boolean): void {
    this.partBytes += chunk.length;
    if (this.partBytes > this.limits.maxPartBytes) {
      throw new LimitExceededError('MULTIPART_PART_TOO_LARGE', `a part exceeds ${this.limits.maxPartBytes} bytes`, {
        offset: this.bodyBytes,
      });
    }
    const declared = this.partLength;
    if (declared !== null && (this.partBytes > declared || (last && this.partBytes !== declared))) {
      throw new MalformedError(
        'MULTIPART_LENGTH_MISMATCH',
        `part Content-Length ${declared} does not match its ${last ? '' : 'at least '}${this.partBytes} bytes`,
      );
    }
  }

  /** Next piece of the current part body, or null at its end. */
  async nextBodyChunk(): Promise<Buffer | null> {
    while (!this.bodyDone) {
      const i = this.buf.indexOf(this.delim);
      if (i >= 0) {
        const end = i > 0 && this.buf[i - 1] === CR ? i - 1 : i;
        const chunk = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(i + this.delim.length);
        this.bodyDone = true;
        this.account(chunk, true);
        return chunk.length > 0 ? chunk : null;
      }
      const safe = this.buf.length - this.delim.length;
      if (safe > 0) {
        const chunk = this.buf.subarray(0, safe);
        this.buf = this.buf.subarray(safe);
        this.account(chunk, false);
        return chunk;
      }
      await this.needMore('MULTIPART_TRUNCATED', 'inside a part body (no closing delimiter)');
    }
    return null;
  }

  async drainEpilogue(): Promise<void> {
    this.buf = Buffer.alloc(0);
    while (await this.fill()) this.buf = Buffer.alloc(0);
  }
}

/**
 * Reads a multipart body (RFC 2046 §5.1.1), calling `onPart` for each part in order and waiting
 * for it before reading on (back-pressure: the request is not read faster than parts are stored).
 */
export async function readMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  onPart: (part: MultipartPart) => Promise<void>,
  limits: Partial<MultipartLimits> = {},
): Promise<MultipartSummary> {
  const lim: MultipartLimits = { ...DEFAULT_MULTIPART_LIMITS, ...limits };
  const r = new Reader(source, validateBoundary(boundary, lim.maxBoundaryLength), lim);
  await r.serial(() => r.skipPreamble());
  for (let index = 0; ; index += 1) {
    if ((await r.serial(() => r.afterDelimiter())) === 'close') {
      await r.serial(() => r.drainEpilogue());
      return { parts: index, bodyBytes: r.bodyBytes };
    }
    if (index >= lim.maxParts)
      throw new LimitExceededError('MULTIPART_TOO_MANY_PARTS', `more than ${lim.maxParts} parts`);
    const headers = await r.serial(() => r.readHeaders());
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Uint8Array>> => {
          const c = await r.serial(() => r.nextBodyChunk());
          return c === null ? { done: true, value: undefined } : { done: false, value: c };
        },
        return: async (): Promise<IteratorResult<Uint8Array>> => ({ done: true, value: undefined }),
      }),
    };
    await onPart({ index, headers, body });
    while ((await r.serial(() => r.nextBodyChunk())) !== null) {
      /* skip what the callback left unread */
    }
  }
}
