// Typed parse failures (CONVENTIONS.md "Errors"): truncated, malformed, unsupported, over-limit.
// Every parser in bytes/, j2k/, jpip/ and dicom/ throws only these (or the domain errors in
// ../errors.ts), each with a stable `code` and the byte `offset` where the problem was seen.

import { FoveaError, type FoveaErrorOptions } from '../errors';

export interface ParseErrorOptions extends FoveaErrorOptions {
  /** Byte offset in the parsed input (absolute, from the start of the outermost buffer). */
  offset?: number;
}

export class ParseError extends FoveaError {
  readonly offset: number | undefined;
  constructor(code: string, message: string, options: ParseErrorOptions = {}) {
    super(code, message, options);
    this.offset = options.offset;
  }
}

/** More bytes are needed: the input ends inside a structure. Partial/incremental readers may recover. */
export class TruncatedError extends ParseError {}

/** The bytes are present but violate the format. */
export class MalformedError extends ParseError {}

/** The input is valid but uses a feature we deliberately do not implement. */
export class UnsupportedError extends ParseError {}

/** A declared size or count is over a configured cap (checked before allocating). */
export class LimitExceededError extends ParseError {}
