// Specific Character Set (0008,0005) decoding and encoding (PS3.5 §6.1, PS3.3 C.12.1.1.2).
// Exact: default repertoire (ISO_IR 6), ISO_IR 100 (Latin-1), ISO_IR 192 (UTF-8). Other single-byte
// and multi-byte sets are decoded best effort through TextDecoder (ISO 2022 code extensions are
// not switched per escape sequence); `isExactCharset` tells the parser to record a warning.

const LATIN1 = new Set(['', 'ISO_IR 6', 'ISO 2022 IR 6', 'ISO_IR 100', 'ISO 2022 IR 100']);
const UTF8 = new Set(['ISO_IR 192']);
const BEST_EFFORT: Record<string, string> = {
  'ISO_IR 101': 'iso-8859-2',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO 2022 IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO 2022 IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO 2022 IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO 2022 IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO 2022 IR 203': 'iso-8859-15',
  'ISO_IR 166': 'windows-874',
  'ISO 2022 IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  'ISO 2022 IR 13': 'shift_jis',
  'ISO 2022 IR 87': 'iso-2022-jp',
  'ISO 2022 IR 159': 'iso-2022-jp',
  'ISO 2022 IR 149': 'euc-kr',
  'ISO 2022 IR 58': 'gb18030',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** True when the character set (all its terms) is decoded exactly. */
export function isExactCharset(terms: readonly string[]): boolean {
  return terms.every((t) => LATIN1.has(t.trim()) || UTF8.has(t.trim()));
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)));
  }
  return s;
}

function decoderFor(label: string): InstanceType<typeof TextDecoder> | undefined {
  try {
    return new TextDecoder(label);
  } catch {
    return undefined;
  }
}

/** Decodes a text value with the data set's Specific Character Set terms. */
export function decodeText(bytes: Uint8Array, terms: readonly string[]): string {
  const terms2 = terms.map((t) => t.trim()).filter((t) => t !== '');
  if (terms2.some((t) => UTF8.has(t))) return new TextDecoder('utf-8').decode(bytes);
  // With code extensions the first term is the default set; a later non-Latin term is what
  // the text actually uses beyond ASCII, so prefer it (best effort).
  const special = terms2.find((t) => !LATIN1.has(t));
  if (special !== undefined) {
    const label = BEST_EFFORT[special];
    const dec = label === undefined ? undefined : decoderFor(label);
    if (dec !== undefined) return dec.decode(bytes);
  }
  return latin1(bytes);
}

/** Encodes text for the character set: UTF-8 for ISO_IR 192, Latin-1 otherwise (chars > 0xFF become '?'). */
export function encodeText(text: string, terms: readonly string[]): Uint8Array {
  if (terms.some((t) => UTF8.has(t.trim()))) return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c <= 0xff ? c : 0x3f;
  }
  return out;
}
