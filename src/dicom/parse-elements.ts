// Data set walk (PS3.5 §7.1 element encoding, §7.5 nested data sets, A.4 encapsulation):
// element headers in Implicit/Explicit VR and either byte order, sequences and items of defined
// or undefined length, UN of undefined length read as Implicit VR LE (PS3.5 §6.2.2), and
// encapsulated Pixel Data item headers. Values over the bulk threshold are not read.

import { LimitExceededError, MalformedError, TruncatedError } from '../bytes';
import { isExactCharset } from './charset';
import { DicomDataset, type ElementValue, type Fragment } from './dataset';
import { vrForTag } from './dictionary';
import type { ResolvedParseOptions, WarningList } from './parse-options';
import type { SourceCursor } from './source-cursor';
import {
  describeTag,
  hasLongHeader,
  isVr,
  ITEM,
  ITEM_DELIMITATION,
  SEQUENCE_DELIMITATION,
  swapBytes,
  swapUnit,
  tagGroup,
  Tags,
  UNDEFINED_LENGTH,
  type Vr,
} from './vr';

export interface WalkContext {
  cursor: SourceCursor;
  explicitVr: boolean;
  options: ResolvedParseOptions;
  warnings: WarningList;
  /** Set when the top-level Pixel Data element is met. */
  onTopLevelPixelData?: (vr: Vr, value: ElementValue, bigEndian: boolean) => void;
}

interface Header {
  tag: number;
  vr: Vr;
  length: number;
  offset: number;
}

// PS3.5 §6.2.2: the value of a UN element that is a sequence is encoded in Implicit VR LE.
function asImplicitLe<T>(ctx: WalkContext, read: () => T): T {
  const saved = ctx.cursor.littleEndian;
  ctx.cursor.littleEndian = true;
  try {
    return read();
  } finally {
    ctx.cursor.littleEndian = saved;
  }
}

const ALWAYS_INLINE = new Set<number>([
  Tags.ExtendedOffsetTable,
  Tags.ExtendedOffsetTableLengths,
  Tags.SpecificCharacterSet,
  Tags.TransferSyntaxUID,
]);

function readTag(ctx: WalkContext): { tag: number; offset: number } {
  const offset = ctx.cursor.pos;
  const r = ctx.cursor.take(4, 'element tag');
  const group = r.u16('group');
  const element = r.u16('element');
  return { tag: (group * 0x10000 + element) >>> 0, offset };
}

// PS3.5 §7.1.2 (explicit), §7.1.3 (implicit), §7.5 (item tags carry no VR in either form).
function readHeader(ctx: WalkContext): Header {
  const { tag, offset } = readTag(ctx);
  if (tagGroup(tag) === 0xfffe) {
    return { tag, vr: 'UN', length: ctx.cursor.take(4, 'item length').u32(), offset };
  }
  if (!ctx.explicitVr) {
    return { tag, vr: vrForTag(tag), length: ctx.cursor.take(4, 'element length').u32(), offset };
  }
  const r = ctx.cursor.take(2, 'VR');
  const vrText = r.ascii(2, 'VR');
  if (!isVr(vrText)) {
    throw new MalformedError(
      'DICOM_BAD_VR',
      `invalid VR "${vrText.replace(/[^\x20-\x7e]/g, '?')}" for ${describeTag(tag)}`,
      {
        offset: offset + 4,
        context: describeTag(tag),
      },
    );
  }
  if (hasLongHeader(vrText)) {
    ctx.cursor.skip(2, 'reserved');
    return { tag, vr: vrText, length: ctx.cursor.take(4, 'element length').u32(), offset };
  }
  return { tag, vr: vrText, length: ctx.cursor.take(2, 'element length').u16(), offset };
}

function checkFits(ctx: WalkContext, length: number, end: number | undefined, h: Header, what: string): void {
  const limit = end ?? ctx.cursor.size;
  if (ctx.cursor.pos + length <= limit) return;
  if (limit >= ctx.cursor.size) {
    throw new TruncatedError(
      'DICOM_TRUNCATED',
      `${what} ${describeTag(h.tag)} of ${length} bytes runs past the end of input`,
      {
        offset: h.offset,
        context: describeTag(h.tag),
      },
    );
  }
  throw new MalformedError(
    'DICOM_BAD_LENGTH',
    `${what} ${describeTag(h.tag)} of ${length} bytes overruns its enclosing item`,
    {
      offset: h.offset,
      context: describeTag(h.tag),
    },
  );
}

/**
 * Reads elements into `dataset` until `end` (absolute offset) or, when `end` is undefined,
 * until an Item Delimitation Item. `depth` is the sequence nesting level (0 = top level).
 */
export function walkDataset(ctx: WalkContext, dataset: DicomDataset, end: number | undefined, depth: number): void {
  let last = -1;
  let disorderReported = false;
  let unConverted = false;
  for (;;) {
    if (end !== undefined && ctx.cursor.pos >= end) return;
    if (end === ctx.cursor.size && ctx.cursor.remaining < 8 && trailingZeros(ctx)) return;
    const h = readHeader(ctx);
    if (h.tag === ITEM_DELIMITATION) {
      if (end === undefined) return;
      ctx.warnings.add(`stray Item Delimitation Item at offset ${h.offset} ignored`);
      continue;
    }
    if (tagGroup(h.tag) === 0xfffe) {
      throw new MalformedError('DICOM_UNEXPECTED_ITEM', `unexpected ${describeTag(h.tag)} inside a data set`, {
        offset: h.offset,
        context: describeTag(h.tag),
      });
    }
    if (h.tag <= last && !disorderReported) {
      ctx.warnings.add(`${describeTag(h.tag)} at offset ${h.offset} is out of ascending tag order or repeated`);
      disorderReported = true;
    }
    last = Math.max(last, h.tag);
    let implicitValue = false;
    if (h.vr === 'UN' && ctx.explicitVr) {
      const known = vrForTag(h.tag);
      if (h.length === UNDEFINED_LENGTH) implicitValue = true;
      else if (known !== 'UN') {
        // PS3.5 §6.2.2 Note: a public element received as UN is read with its dictionary VR.
        if (!unConverted)
          ctx.warnings.add(`known tags encoded with VR UN (first ${describeTag(h.tag)}) read with their dictionary VR`);
        unConverted = true;
        implicitValue = known === 'SQ';
        h.vr = known;
      }
    }
    const value = implicitValue
      ? asImplicitLe(ctx, () => readValue({ ...ctx, explicitVr: false }, h, end, depth, dataset))
      : readValue(ctx, h, end, depth, dataset);
    if (h.tag === Tags.DataSetTrailingPadding && depth === 0) continue; // PS3.10 §7.2: padding is dropped
    const vr = value.kind === 'sequence' ? 'SQ' : h.vr;
    dataset.set({ tag: h.tag, vr, value });
    if (h.tag === Tags.SpecificCharacterSet && !isExactCharset(dataset.characterSet)) {
      ctx.warnings.add(`Specific Character Set "${dataset.characterSet.join('\\')}" decoded best effort`);
    }
  }
}

function trailingZeros(ctx: WalkContext): boolean {
  const rest = ctx.cursor.peek(ctx.cursor.remaining, 'trailing bytes').bytes(ctx.cursor.remaining);
  if (rest.some((b) => b !== 0)) return false;
  ctx.warnings.add(`${rest.length} trailing zero bytes after the data set ignored`);
  ctx.cursor.skip(rest.length, 'trailing bytes');
  return true;
}

function readValue(
  ctx: WalkContext,
  h: Header,
  end: number | undefined,
  depth: number,
  parent: DicomDataset,
): ElementValue {
  const isPixel = h.tag === Tags.PixelData;
  if (h.length === UNDEFINED_LENGTH) {
    if (isPixel) {
      const value = walkEncapsulated(ctx);
      if (depth === 0) ctx.onTopLevelPixelData?.(h.vr, value, false);
      return value;
    }
    if (h.vr === 'SQ' || h.vr === 'UN') {
      return walkSequence(ctx, h, undefined, depth, parent);
    }
    throw new MalformedError('DICOM_BAD_LENGTH', `undefined length on ${describeTag(h.tag)} with VR ${h.vr}`, {
      offset: h.offset,
      context: describeTag(h.tag),
    });
  }
  if (!isPixel && h.length > ctx.options.maxElementLength) {
    throw new LimitExceededError(
      'DICOM_ELEMENT_TOO_LONG',
      `${describeTag(h.tag)} length ${h.length} over the limit ${ctx.options.maxElementLength}`,
      {
        offset: h.offset,
        context: describeTag(h.tag),
      },
    );
  }
  checkFits(ctx, h.length, end, h, 'value of');
  if (h.length % 2 === 1) ctx.warnings.add(`${describeTag(h.tag)} at offset ${h.offset} has odd length ${h.length}`);
  if (h.vr === 'SQ') return walkSequence(ctx, h, ctx.cursor.pos + h.length, depth, parent);
  const unit = ctx.cursor.littleEndian ? 1 : swapUnit(h.vr);
  if ((isPixel && depth === 0) || (h.length > ctx.options.bulkThreshold && !ALWAYS_INLINE.has(h.tag))) {
    const value: ElementValue = { kind: 'bulk', offset: ctx.cursor.pos, length: h.length, swapUnit: unit };
    ctx.cursor.skip(h.length, 'value');
    if (isPixel && depth === 0) ctx.onTopLevelPixelData?.(h.vr, value, !ctx.cursor.littleEndian);
    return value;
  }
  const bytes = ctx.cursor.take(h.length, 'value').bytes(h.length).slice();
  return { kind: 'inline', bytes: swapBytes(bytes, unit) };
}

// PS3.5 §7.5.1-7.5.2: items of defined or undefined length, ended by the sequence length or
// a Sequence Delimitation Item.
function walkSequence(
  ctx: WalkContext,
  h: Header,
  end: number | undefined,
  depth: number,
  parent: DicomDataset,
): ElementValue {
  if (depth + 1 > ctx.options.maxDepth) {
    throw new LimitExceededError(
      'DICOM_TOO_DEEP',
      `sequence nesting deeper than ${ctx.options.maxDepth} at ${describeTag(h.tag)}`,
      {
        offset: h.offset,
        context: describeTag(h.tag),
      },
    );
  }
  const items: DicomDataset[] = [];
  for (;;) {
    if (end !== undefined && ctx.cursor.pos >= end) break;
    const ih = readHeader(ctx);
    if (ih.tag === SEQUENCE_DELIMITATION) {
      if (end !== undefined)
        ctx.warnings.add(`Sequence Delimitation Item in a defined-length sequence at offset ${ih.offset}`);
      break;
    }
    if (ih.tag !== ITEM) {
      throw new MalformedError(
        'DICOM_BAD_ITEM_TAG',
        `expected an Item in ${describeTag(h.tag)}, found ${describeTag(ih.tag)}`,
        {
          offset: ih.offset,
          context: describeTag(h.tag),
        },
      );
    }
    if (items.length >= ctx.options.maxItems) {
      throw new LimitExceededError(
        'DICOM_TOO_MANY_ITEMS',
        `${describeTag(h.tag)} has more than ${ctx.options.maxItems} items`,
        {
          offset: ih.offset,
          context: describeTag(h.tag),
        },
      );
    }
    const item = new DicomDataset(parent.characterSet);
    if (ih.length === UNDEFINED_LENGTH) {
      walkDataset(ctx, item, undefined, depth + 1);
    } else {
      checkFits(ctx, ih.length, end, ih, 'item in');
      walkDataset(ctx, item, ctx.cursor.pos + ih.length, depth + 1);
    }
    items.push(item);
  }
  return { kind: 'sequence', items };
}

// PS3.5 A.4: Basic Offset Table item, then one item per fragment, then a Sequence Delimiter.
function walkEncapsulated(ctx: WalkContext): ElementValue {
  const max = ctx.options.maxFragments;
  const bh = readHeader(ctx);
  if (bh.tag !== ITEM) {
    throw new MalformedError(
      'DICOM_BAD_BOT',
      `encapsulated Pixel Data must start with a Basic Offset Table item, found ${describeTag(bh.tag)}`,
      { offset: bh.offset },
    );
  }
  if (bh.length === UNDEFINED_LENGTH || bh.length % 4 !== 0) {
    throw new MalformedError('DICOM_BAD_BOT', `Basic Offset Table length ${bh.length} is not a multiple of 4`, {
      offset: bh.offset,
    });
  }
  if (bh.length / 4 > max) {
    throw new LimitExceededError(
      'DICOM_TOO_MANY_FRAGMENTS',
      `Basic Offset Table has ${bh.length / 4} entries, limit ${max}`,
      { offset: bh.offset },
    );
  }
  const bot: number[] = [];
  const r = ctx.cursor.take(bh.length, 'Basic Offset Table');
  while (!r.atEnd) bot.push(r.u32('offset'));
  const fragments: Fragment[] = [];
  for (;;) {
    const fh = readHeader(ctx);
    if (fh.tag === SEQUENCE_DELIMITATION) break;
    if (fh.tag !== ITEM) {
      throw new MalformedError(
        'DICOM_BAD_FRAGMENT',
        `expected a fragment Item in Pixel Data, found ${describeTag(fh.tag)}`,
        { offset: fh.offset },
      );
    }
    if (fh.length === UNDEFINED_LENGTH) {
      throw new MalformedError('DICOM_BAD_FRAGMENT', 'fragment with undefined length', { offset: fh.offset });
    }
    if (fragments.length >= max) {
      throw new LimitExceededError('DICOM_TOO_MANY_FRAGMENTS', `Pixel Data has more than ${max} fragments`, {
        offset: fh.offset,
      });
    }
    checkFits(ctx, fh.length, undefined, fh, 'fragment in');
    fragments.push({ offset: ctx.cursor.pos, length: fh.length });
    ctx.cursor.skip(fh.length, 'fragment');
  }
  return { kind: 'encapsulated', basicOffsetTable: bot, fragments };
}

/** Reads File Meta Information elements (group 0002, Explicit VR LE, PS3.10 §7.1) while they last. */
export function walkMetaGroup(ctx: WalkContext, meta: DicomDataset): void {
  while (ctx.cursor.remaining >= 2 && ctx.cursor.peek(2, 'group').u16() === 0x0002) {
    const h = readHeader(ctx);
    meta.set({ tag: h.tag, vr: h.vr, value: readValue(ctx, h, undefined, 1, meta) });
  }
}
