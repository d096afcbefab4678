// DicomDataset: the elements of one data set (or sequence item), ordered by tag (PS3.5 §7.1).
// Values are kept as raw little-endian bytes (Big Endian input is swapped on read) so the writer
// can re-emit them byte for byte; large values stay in the source as {offset, length}.
// Typed getters decode text with the effective Specific Character Set (PS3.5 §6.1.2.3).

import { MalformedError } from '../bytes';
import { decodeText, encodeText } from './charset';
import { tagForKeyword } from './dictionary';
import { describeTag, isSingleValuedText, isTextVr, padByte, Tags, type Vr } from './vr';

export interface Fragment {
  /** Offset of the fragment's first value byte in the source. */
  offset: number;
  length: number;
}

export type ElementValue =
  | { kind: 'inline'; bytes: Uint8Array }
  | { kind: 'bulk'; offset: number; length: number; swapUnit: 1 | 2 | 4 | 8 }
  | { kind: 'sequence'; items: DicomDataset[] }
  | { kind: 'encapsulated'; basicOffsetTable: number[]; fragments: Fragment[] };

export interface DicomElement {
  tag: number;
  vr: Vr;
  value: ElementValue;
}

/** A tag number (0xGGGGEEEE), a PS3.6 keyword, or "GGGGEEEE" hex. */
export type TagInput = number | string;

export function toTag(t: TagInput): number {
  if (typeof t === 'number') return t >>> 0;
  if (/^[0-9A-Fa-f]{8}$/.test(t)) return parseInt(t, 16) >>> 0;
  const tag = tagForKeyword(t);
  if (tag === undefined)
    throw new MalformedError('DICOM_UNKNOWN_KEYWORD', `unknown attribute keyword "${t}"`, { context: t });
  return tag;
}

function trimText(s: string, vr: Vr): string {
  if (vr === 'UI') return s.replace(/[\0 ]+$/, '');
  if (vr === 'LT' || vr === 'ST' || vr === 'UT') return s.replace(/[\0 ]+$/, '');
  return s.replace(/^ +/, '').replace(/[\0 ]+$/, '');
}

export class DicomDataset {
  private readonly map = new Map<number, DicomElement>();
  private sorted: number[] | undefined;

  /** @param inheritedCharset the enclosing data set's Specific Character Set terms (for items). */
  constructor(public inheritedCharset: readonly string[] = []) {}

  get size(): number {
    return this.map.size;
  }

  /** Effective Specific Character Set terms (own (0008,0005) or inherited). */
  get characterSet(): readonly string[] {
    const own = this.map.get(Tags.SpecificCharacterSet);
    if (own?.value.kind !== 'inline') return this.inheritedCharset;
    return decodeText(own.value.bytes, [])
      .split('\\')
      .map((s) => s.trim());
  }

  tags(): number[] {
    this.sorted ??= [...this.map.keys()].sort((a, b) => a - b);
    return this.sorted;
  }

  elements(): DicomElement[] {
    return this.tags().map((t) => this.map.get(t) as DicomElement);
  }

  has(tag: TagInput): boolean {
    return this.map.has(toTag(tag));
  }

  get(tag: TagInput): DicomElement | undefined {
    return this.map.get(toTag(tag));
  }

  set(element: DicomElement): this {
    const tag = element.tag >>> 0;
    if (!this.map.has(tag)) this.sorted = undefined;
    this.map.set(tag, { ...element, tag });
    return this;
  }

  delete(tag: TagInput): boolean {
    const had = this.map.delete(toTag(tag));
    if (had) this.sorted = undefined;
    return had;
  }

  /** Inline value bytes (undefined for absent, bulk, sequence or encapsulated values). */
  bytes(tag: TagInput): Uint8Array | undefined {
    const el = this.get(tag);
    return el?.value.kind === 'inline' ? el.value.bytes : undefined;
  }

  /** All values of a text element, padding removed; [] when absent or empty. */
  strings(tag: TagInput): string[] {
    const el = this.get(tag);
    if (el === undefined || el.value.kind !== 'inline' || el.value.bytes.length === 0) return [];
    if (!isTextVr(el.vr)) {
      throw new MalformedError('DICOM_NOT_TEXT', `${describeTag(el.tag)} has VR ${el.vr}, not text`, {
        context: describeTag(el.tag),
      });
    }
    const text = decodeText(el.value.bytes, el.vr === 'UI' ? [] : this.characterSet);
    const parts = isSingleValuedText(el.vr) ? [text] : text.split('\\');
    return parts.map((p) => trimText(p, el.vr));
  }

  /** First value of a text element, or undefined. */
  string(tag: TagInput): string | undefined {
    return this.strings(tag)[0];
  }

  uid(tag: TagInput): string | undefined {
    const v = this.string(tag);
    return v === '' ? undefined : v;
  }

  /** Numeric values of binary-number VRs and of IS/DS; a malformed IS/DS is a MalformedError. */
  numbers(tag: TagInput): number[] {
    const el = this.get(tag);
    if (el === undefined || el.value.kind !== 'inline') return [];
    const b = el.value.bytes;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const read = (size: number, fn: (o: number) => number): number[] => {
      const out: number[] = [];
      for (let o = 0; o + size <= b.length; o += size) out.push(fn(o));
      return out;
    };
    switch (el.vr) {
      case 'US':
        return read(2, (o) => view.getUint16(o, true));
      case 'SS':
        return read(2, (o) => view.getInt16(o, true));
      case 'UL':
        return read(4, (o) => view.getUint32(o, true));
      case 'SL':
        return read(4, (o) => view.getInt32(o, true));
      case 'FL':
        return read(4, (o) => view.getFloat32(o, true));
      case 'FD':
        return read(8, (o) => view.getFloat64(o, true));
      case 'UV':
        return read(8, (o) => Number(view.getBigUint64(o, true)));
      case 'SV':
        return read(8, (o) => Number(view.getBigInt64(o, true)));
      case 'IS':
      case 'DS':
        return this.strings(tag)
          .filter((s) => s !== '')
          .map((s) => {
            const n = Number(s);
            const ok = el.vr === 'IS' ? /^[+-]?\d+$/.test(s) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);
            if (!ok || !Number.isFinite(n)) {
              throw new MalformedError(
                'DICOM_BAD_NUMBER',
                `${describeTag(el.tag)} ${el.vr} value "${s}" is not a number`,
                { context: describeTag(el.tag) },
              );
            }
            return n;
          });
      default:
        throw new MalformedError('DICOM_NOT_NUMERIC', `${describeTag(el.tag)} has VR ${el.vr}, not numeric`, {
          context: describeTag(el.tag),
        });
    }
  }

  number(tag: TagInput): number | undefined {
    return this.numbers(tag)[0];
  }

  sequence(tag: TagInput): DicomDataset[] | undefined {
    const el = this.get(tag);
    return el?.value.kind === 'sequence' ? el.value.items : undefined;
  }

  /** Sets a text element; values are joined with '\' and padded to even length. */
  setString(tag: TagInput, vr: Vr, value: string | readonly string[]): this {
    if (!isTextVr(vr)) throw new MalformedError('DICOM_NOT_TEXT', `VR ${vr} is not a text VR`, { context: vr });
    const text = typeof value === 'string' ? value : value.join('\\');
    const raw = encodeText(text, vr === 'UI' ? [] : this.characterSet);
    return this.set({ tag: toTag(tag), vr, value: { kind: 'inline', bytes: padEven(raw, padByte(vr)) } });
  }

  /** Sets a binary-number or IS/DS element. */
  setNumber(tag: TagInput, vr: Vr, value: number | readonly number[]): this {
    const values = typeof value === 'number' ? [value] : [...value];
    if (vr === 'IS' || vr === 'DS')
      return this.setString(
        tag,
        vr,
        values.map((n) => String(n)),
      );
    const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' || vr === 'SV' || vr === 'UV' ? 8 : 4;
    const out = new Uint8Array(size * values.length);
    const view = new DataView(out.buffer);
    values.forEach((n, i) => {
      const o = i * size;
      switch (vr) {
        case 'US':
          view.setUint16(o, n, true);
          break;
        case 'SS':
          view.setInt16(o, n, true);
          break;
        case 'UL':
          view.setUint32(o, n, true);
          break;
        case 'SL':
          view.setInt32(o, n, true);
          break;
        case 'FL':
          view.setFloat32(o, n, true);
          break;
        case 'FD':
          view.setFloat64(o, n, true);
          break;
        case 'UV':
          view.setBigUint64(o, BigInt(Math.trunc(n)), true);
          break;
        case 'SV':
          view.setBigInt64(o, BigInt(Math.trunc(n)), true);
          break;
        default:
          throw new MalformedError('DICOM_NOT_NUMERIC', `VR ${vr} is not numeric`, { context: vr });
      }
    });
    return this.set({ tag: toTag(tag), vr, value: { kind: 'inline', bytes: out } });
  }

  setBytes(tag: TagInput, vr: Vr, bytes: Uint8Array): this {
    return this.set({ tag: toTag(tag), vr, value: { kind: 'inline', bytes: padEven(bytes, padByte(vr)) } });
  }

  setSequence(tag: TagInput, items: DicomDataset[]): this {
    return this.set({ tag: toTag(tag), vr: 'SQ', value: { kind: 'sequence', items } });
  }

  /** Deep copy (inline bytes are shared: they are never mutated in place). */
  clone(): DicomDataset {
    const copy = new DicomDataset(this.inheritedCharset);
    for (const el of this.elements()) {
      const v = el.value;
      copy.set({
        tag: el.tag,
        vr: el.vr,
        value:
          v.kind === 'sequence'
            ? { kind: 'sequence', items: v.items.map((i) => i.clone()) }
            : v.kind === 'encapsulated'
              ? {
                  kind: 'encapsulated',
                  basicOffsetTable: [...v.basicOffsetTable],
                  fragments: v.fragments.map((f) => ({ ...f })),
                }
              : { ...v },
      });
    }
    return copy;
  }
}

/** Pads to even length with `pad` (PS3.5 §7.1.1: value lengths are even). */
export function padEven(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}
