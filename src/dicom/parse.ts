// parseDicom: PS3.10 §7.1 Part 10 files (128-byte preamble, "DICM", File Meta Information group
// 0002 in Explicit VR LE) and bare data sets (PS3.7 style, syntax given or detected), then the
// data set in its transfer syntax (PS3.5 §10, A.1-A.5). Reads only headers and small values from
// the source; Pixel Data is described by offsets, never read. Deflated data sets (A.5) are
// inflated in memory up to maxInflatedLength, and offsets then refer to the inflated bytes.

import { bufferSource, MalformedError, TruncatedError, LimitExceededError, type RandomAccessSource } from '../bytes';
import { DicomDataset, type Fragment } from './dataset';
import { inflateDeflatedDataset } from './deflate';
import { walkDataset, walkMetaGroup, type WalkContext } from './parse-elements';
import { resolveParseOptions, WarningList, type DicomParseOptions } from './parse-options';
import { SourceCursor } from './source-cursor';
import {
  datasetEncoding,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  transferSyntax,
} from './transfer-syntaxes';
import { isVr, Tags, type Vr } from './vr';

export type PixelDataLayout =
  | { kind: 'native'; offset: number; length: number; vr: Vr; bigEndian: boolean }
  | { kind: 'encapsulated'; basicOffsetTable: number[]; fragments: Fragment[] };

export interface ParsedDicom {
  /** Group 0002 of a Part 10 file, or null for a bare data set. */
  fileMeta: DicomDataset | null;
  transferSyntaxUid: string;
  dataset: DicomDataset;
  pixelData: PixelDataLayout | null;
  warnings: string[];
  /** The source that bulk and pixel offsets refer to: the input, or the inflated data set. */
  source: RandomAccessSource;
  /** Offset of the data set's first byte in `source`. */
  datasetOffset: number;
}

const PREAMBLE = 128;

function hasDicmPrefix(cursor: SourceCursor): boolean {
  if (cursor.size < PREAMBLE + 4) return false;
  const r = cursor.source.read(PREAMBLE, 4);
  return r[0] === 0x44 && r[1] === 0x49 && r[2] === 0x43 && r[3] === 0x4d;
}

function plausibleGroup(g: number): boolean {
  return g <= 0x0028 && g % 2 === 0;
}

/** Guesses the encoding of a bare data set from its first element header. */
function detectSyntax(cursor: SourceCursor): string {
  const r = cursor.peek(Math.min(6, cursor.remaining), 'first element header');
  if (r.length < 6) {
    throw new TruncatedError('DICOM_TRUNCATED', 'input too short for a data set', { offset: cursor.pos });
  }
  const le = r.withEndianness(true).u16();
  r.seek(0);
  const be = r.u16();
  r.seek(4);
  const vr = r.ascii(2);
  if (plausibleGroup(le)) return isVr(vr) ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN;
  if (plausibleGroup(be) && isVr(vr)) return EXPLICIT_VR_BIG_ENDIAN;
  throw new MalformedError(
    'DICOM_NO_DICM',
    'neither a Part 10 file ("DICM" at offset 128) nor a recognisable data set',
    { offset: 0 },
  );
}

/** Parses a Part 10 file or bare data set. Throws only ParseError subclasses. */
export function parseDicom(input: RandomAccessSource, options: DicomParseOptions = {}): ParsedDicom {
  const opts = resolveParseOptions(options);
  const warnings = new WarningList(opts.maxWarnings);
  let cursor = new SourceCursor(input, true, 0);
  let fileMeta: DicomDataset | null = null;
  let tsUid = options.transferSyntaxUid;

  const metaCtx: WalkContext = { cursor, explicitVr: true, options: opts, warnings };
  if (hasDicmPrefix(cursor)) {
    cursor.pos = PREAMBLE + 4;
    fileMeta = new DicomDataset();
    walkMetaGroup(metaCtx, fileMeta);
  } else if (cursor.size >= 2 && cursor.peek(2, 'group').u16() === 0x0002) {
    warnings.add('File Meta Information without preamble and "DICM" prefix');
    fileMeta = new DicomDataset();
    walkMetaGroup(metaCtx, fileMeta);
  }
  if (fileMeta !== null) {
    const declared = fileMeta.uid(Tags.TransferSyntaxUID);
    if (declared === undefined) warnings.add('File Meta Information has no Transfer Syntax UID; syntax detected');
    else tsUid ??= declared;
    if (fileMeta.size === 0)
      throw new MalformedError('DICOM_NO_FILE_META', 'Part 10 file without File Meta Information', {
        offset: cursor.pos,
      });
  }
  if (tsUid !== undefined && transferSyntax(tsUid) === undefined) {
    warnings.add(`unknown transfer syntax ${tsUid}; read as Explicit VR Little Endian (PS3.5 §10.1)`);
  }

  let source = input;
  let enc = tsUid === undefined ? undefined : datasetEncoding(tsUid);
  if (enc?.deflated === true) {
    const length = cursor.remaining;
    if (length > opts.maxInflatedLength) {
      throw new LimitExceededError('DICOM_INFLATE_TOO_LARGE', `deflated data set of ${length} bytes over the limit`, {
        offset: cursor.pos,
      });
    }
    source = bufferSource(inflateDeflatedDataset(input.read(cursor.pos, length), opts.maxInflatedLength));
    cursor = new SourceCursor(source, true, 0);
  }
  if (enc === undefined) {
    if (cursor.remaining === 0)
      throw new TruncatedError('DICOM_TRUNCATED', 'no data set after the File Meta Information', {
        offset: cursor.pos,
      });
    tsUid = detectSyntax(cursor);
    enc = datasetEncoding(tsUid);
  } else if (enc.explicitVr && enc.littleEndian && cursor.remaining >= 6) {
    const r = cursor.peek(6, 'first element header');
    r.seek(4);
    if (!isVr(r.ascii(2))) {
      warnings.add(
        `transfer syntax ${tsUid ?? ''} declares Explicit VR but the data set is Implicit VR; read as Implicit VR`,
      );
      enc = { ...enc, explicitVr: false };
    }
  }
  cursor.littleEndian = enc.littleEndian;

  const dataset = new DicomDataset();
  let pixelData: PixelDataLayout | null = null;
  const datasetOffset = cursor.pos;
  const ctx: WalkContext = {
    cursor,
    explicitVr: enc.explicitVr,
    options: opts,
    warnings,
    onTopLevelPixelData: (vr, value, bigEndian) => {
      if (value.kind === 'bulk')
        pixelData = { kind: 'native', offset: value.offset, length: value.length, vr, bigEndian };
      else if (value.kind === 'encapsulated')
        pixelData = { kind: 'encapsulated', basicOffsetTable: value.basicOffsetTable, fragments: value.fragments };
    },
  };
  walkDataset(ctx, dataset, cursor.size, 0);
  return {
    fileMeta,
    transferSyntaxUid: tsUid ?? EXPLICIT_VR_LITTLE_ENDIAN,
    dataset,
    pixelData,
    warnings: warnings.result(),
    source,
    datasetOffset,
  };
}
