// URLs the gateway hands out (RetrieveURL (0008,1190), BulkDataURI, Content-Location), built from
// the configured public URL (never from the request's Host header), and path-parameter checks.

import { BadRequestError } from '../../errors';
import { isUid, type DicomJsonAttribute, type DicomJsonObject, type DicomJsonValue } from '../../dicom';

export interface DicomwebUrls {
  /** `${publicUrl}${mountPath}`, no trailing slash. */
  base: string;
  study(study: string): string;
  series(study: string, series: string): string;
  instance(study: string, series: string, sop: string): string;
}

export function dicomwebUrls(publicUrl: string, mountPath: string): DicomwebUrls {
  const base = `${publicUrl.replace(/\/+$/, '')}${mountPath}`;
  return {
    base,
    study: (st) => `${base}/studies/${st}`,
    series: (st, se) => `${base}/studies/${st}/series/${se}`,
    instance: (st, se, sop) => `${base}/studies/${st}/series/${se}/instances/${sop}`,
  };
}

/** A UID from a path segment; BadRequestError (400) if it is not a PS3.5 §9.1 UID. */
export function uidParam(value: unknown, name: string): string {
  if (typeof value !== 'string' || !isUid(value))
    throw new BadRequestError('DICOMWEB_BAD_UID', `${name} is not a valid UID`);
  return value;
}

/** First string value of an attribute of a DICOM JSON object, or undefined. */
export function firstString(json: DicomJsonObject, tag: string): string | undefined {
  const v = Object.prototype.hasOwnProperty.call(json, tag) ? json[tag]?.Value?.[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** `{ vr, Value: [value] }` */
export function attr(vr: string, ...values: DicomJsonValue[]): DicomJsonAttribute {
  return { vr, Value: values };
}

/** A copy of `json` with `tag` set, keys kept in ascending tag order (PS3.18 F.2.1 lists attributes in tag order). */
export function withAttribute(json: DicomJsonObject, tag: string, value: DicomJsonAttribute): DicomJsonObject {
  const out: DicomJsonObject = {};
  const keys = Object.keys(json).filter((k) => k !== tag);
  keys.push(tag);
  keys.sort();
  for (const k of keys) {
    const a = k === tag ? value : json[k];
    if (a !== undefined) out[k] = a;
  }
  return out;
}
