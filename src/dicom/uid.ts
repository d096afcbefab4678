// UID syntax (PS3.5 §9.1): dot-separated numeric components, no leading zeros, at most 64
// characters. Used to validate UIDs that arrive outside a data set (URL paths, query parameters).

/** True if `s` is a syntactically valid UID (PS3.5 §9.1). */
export function isUid(s: string): boolean {
  return s.length > 0 && s.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(s);
}
