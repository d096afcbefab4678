// Public surface of bytes/: the bounds-checked reader, random-access sources and parse errors.
export { ByteReader, type ByteReaderOptions } from './byte-reader';
export { BitReader } from './bit-reader';
export { bufferSource, type RandomAccessSource } from './random-access-source';
export {
  ParseError,
  TruncatedError,
  MalformedError,
  UnsupportedError,
  LimitExceededError,
  type ParseErrorOptions,
} from './errors';
export { concatBytes } from './concat';
