// Accept header parsing (RFC 9110 §12.5.1: media ranges, q-values, parameters incl. quoted
// `type=` and `transfer-syntax=`, wildcards) and content negotiation for WADO-RS per PS3.18 §8.7
// (§8.7.3 acceptable media types and transfer syntaxes, §8.7.3.5 `transfer-syntax=*` meaning
// "as stored"). Ranges are tried by descending q (ties keep header order); the first range that
// can be served wins. A missing transfer-syntax parameter means the default syntax of the media
// type, falling back to the stored syntax when the default cannot be produced (the PS3.18
// §8.7.3.5.2 lossy exception). A frame range of application/octet-stream that names a transfer
// syntax (or `*`) gets the frame in that syntax as application/octet-stream, labelled with it: the
// stored codestream for `*`, as Orthanc and dcm4chee answer the OHIF / Cornerstone default request
// `multipart/related; type=application/octet-stream; transfer-syntax=*`. Not supported: specificity
// overrides between ranges (q=0 only excludes the range it is on), application/dicom+xml metadata,
// single-part application/dicom.

import { MalformedError } from '../bytes';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntax } from '../dicom';
import { NotAcceptableError } from '../errors';
import { parseMediaType, splitOutsideQuotes } from './media-type';
import { FRAME_MEDIA_TYPES, frameMediaTypeFor } from './frame-media-types';

export interface MediaRange {
  type: string;
  subtype: string;
  /** Parameters other than q, names lower-cased. */
  params: Map<string, string>;
  q: number;
}

const QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

/** Parses an Accept header; absent or blank means `*\/*`. Throws MalformedError on bad syntax. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [{ type: '*', subtype: '*', params: new Map(), q: 1 }];
  const ranges: MediaRange[] = [];
  for (const item of splitOutsideQuotes(header, ',')) {
    if (item.trim() === '') continue;
    const mt = parseMediaType(item);
    if (mt.type === '*' && mt.subtype !== '*')
      throw new MalformedError('HTTP_ACCEPT_BAD_RANGE', `"${item.trim()}" is not a media range`);
    let q = 1;
    const rawQ = mt.params.get('q');
    if (rawQ !== undefined) {
      if (!QVALUE.test(rawQ))
        throw new MalformedError(
          'HTTP_ACCEPT_BAD_Q',
          `q-value "${rawQ}" is not between 0 and 1 with at most 3 decimals`,
        );
      q = Number(rawQ);
      mt.params.delete('q');
    }
    ranges.push({ type: mt.type, subtype: mt.subtype, params: mt.params, q });
  }
  if (ranges.length === 0) return [{ type: '*', subtype: '*', params: new Map(), q: 1 }];
  return ranges
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || a.i - b.i)
    .map(({ r }) => r);
}

/** Does media range pattern "type/subtype" (wildcards allowed) match a concrete media type? */
export function rangeMatches(pattern: string, mediaType: string): boolean {
  const [pt, ps] = pattern.split('/');
  const [mt, ms] = mediaType.split('/');
  return (pt === '*' || pt === mt) && (ps === '*' || ps === ms);
}

export type RetrieveResource = 'instances' | 'frames';

export interface Representation {
  multipart: boolean;
  /** Media type of the (part) body, e.g. application/dicom, image/jp2. */
  mediaType: string;
  /** Concrete transfer syntax UID (never '*'). */
  transferSyntaxUid: string;
  /** The range said `transfer-syntax=*`: any syntax will do (PS3.18 §8.7.3.5.2), the stored one preferred. */
  anySyntax: boolean;
}

/** The part media type a range asks for, and whether the response is multipart; null if the range cannot apply. */
function rangeShape(range: MediaRange, singlePartAllowed: boolean): { multipart: boolean; partPattern: string } | null {
  const essence = `${range.type}/${range.subtype}`;
  if (essence === '*/*') return { multipart: true, partPattern: '*/*' };
  if (range.type === 'multipart') {
    if (range.subtype !== 'related' && range.subtype !== '*') return null;
    const type = range.params.get('type');
    if (type === undefined) return { multipart: true, partPattern: '*/*' };
    const t = type.trim().toLowerCase();
    return /^[^/\s]+\/[^/\s]+$/.test(t) ? { multipart: true, partPattern: t } : null;
  }
  return singlePartAllowed ? { multipart: false, partPattern: essence } : null;
}

const OCTET_STREAM = 'application/octet-stream';

/** Can a frame be sent alone in this syntax? Not in the JPIP Referenced ones (PS3.5 A.6/A.7: no pixels). */
function isFrameSyntax(uid: string): boolean {
  const fam = transferSyntax(uid)?.family;
  return fam !== 'jpip' && fam !== 'jpip-htj2k';
}

/** Candidates (media type, syntax) of one range against the syntaxes an object offers, best first. */
function candidates(
  resource: RetrieveResource,
  partPattern: string,
  ts: string | undefined,
  available: readonly string[],
): [string, string][] {
  const mediaFor = (uid: string): string | undefined =>
    resource === 'instances' ? 'application/dicom' : frameMediaTypeFor(uid);
  const named = ts !== undefined;
  const servable = (uid: string): string | undefined => {
    if (!available.includes(uid)) return undefined;
    const m = mediaFor(uid);
    if (m !== undefined && rangeMatches(partPattern, m)) return m;
    return resource === 'frames' && named && isFrameSyntax(uid) && rangeMatches(partPattern, OCTET_STREAM)
      ? OCTET_STREAM
      : undefined;
  };
  const out: [string, string][] = [];
  const add = (uid: string): void => {
    const m = servable(uid);
    if (m !== undefined && !out.some(([, u]) => u === uid)) out.push([m, uid]);
  };
  if (ts !== undefined && ts !== '*') {
    add(ts.trim());
    return out;
  }
  if (ts === undefined) {
    // Default syntax of the media type(s) the range allows: PS3.18 §8.7.3 tables.
    if (resource === 'instances') add(EXPLICIT_VR_LITTLE_ENDIAN);
    else
      for (const [mt, syntaxes] of FRAME_MEDIA_TYPES)
        if (rangeMatches(partPattern, mt)) {
          const d = syntaxes[0];
          if (d !== undefined) add(d);
        }
  }
  for (const uid of available) add(uid); // '*' (and the lossy fallback): the stored syntax first
  return out;
}

/**
 * Chooses the representation of an instance or frame set given the Accept ranges and the syntaxes
 * the object can be produced in (stored first). Throws NotAcceptableError (406) if none fits.
 */
export function negotiate(
  resource: RetrieveResource,
  ranges: readonly MediaRange[],
  available: readonly string[],
  options: { singlePartAllowed?: boolean } = {},
): Representation {
  for (const range of ranges) {
    if (range.q <= 0) continue;
    const shape = rangeShape(range, options.singlePartAllowed ?? false);
    if (shape === null) continue;
    const ts = range.params.get('transfer-syntax');
    const c = candidates(resource, shape.partPattern, ts, available)[0];
    if (c !== undefined)
      return { multipart: shape.multipart, mediaType: c[0], transferSyntaxUid: c[1], anySyntax: ts?.trim() === '*' };
  }
  throw new NotAcceptableError(
    'HTTP_NOT_ACCEPTABLE',
    `none of the accepted media types can be produced for these ${resource}; available transfer syntaxes: ${available.join(', ') || 'none'}`,
  );
}

/**
 * Bulk data (PS3.18 §8.7.3.4): the retrieve service decides the media type; the range must accept
 * it, as a single part or inside multipart/related. A transfer-syntax parameter is not used for
 * bulk data (the service returns the stored bytes).
 */
export function negotiateBulkdata(ranges: readonly MediaRange[], mediaType: string): { multipart: boolean } {
  for (const range of ranges) {
    if (range.q <= 0) continue;
    const shape = rangeShape(range, true);
    if (shape !== null && rangeMatches(shape.partPattern, mediaType)) return { multipart: shape.multipart };
  }
  throw new NotAcceptableError(
    'HTTP_NOT_ACCEPTABLE',
    `the bulk data is ${mediaType}, which the Accept header does not allow`,
  );
}

/** Metadata (PS3.18 §8.7.3.2 / Annex F): DICOM JSON, also served as application/json when asked. */
export function negotiateMetadata(ranges: readonly MediaRange[]): 'application/dicom+json' | 'application/json' {
  for (const range of ranges) {
    if (range.q <= 0) continue;
    const essence = `${range.type}/${range.subtype}`;
    if (essence === 'application/json') return 'application/json';
    if (rangeMatches(essence, 'application/dicom+json')) return 'application/dicom+json';
  }
  throw new NotAcceptableError(
    'HTTP_NOT_ACCEPTABLE',
    'metadata is available as application/dicom+json (or application/json) only',
  );
}
