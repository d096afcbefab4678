// Errors of the JPIP service that carry JPIP response headers the error response must still send
// (ISO/IEC 15444-9 D.2.18: a refused required preference is echoed in JPIP-pref). The HTTP status is
// chosen by http/error-map.ts from the base class (UnsupportedError → 501 on JPIP requests); the
// HTTP adapter copies `headers` onto the error response. No other error carries headers.

import { UnsupportedError } from '../bytes';

/** A required preference (pref=…/r, 15444-9 C.10.2) Fovea does not satisfy. */
export class JpipPrefRefusedError extends UnsupportedError {
  /** The response headers to send with the refusal: JPIP-pref repeating the refused sets as sent. */
  readonly headers: Readonly<Record<string, string>>;
  readonly refused: readonly string[];

  constructor(refused: readonly string[]) {
    super('JPIP_PREF_REFUSED', `required preference not supported: ${refused.join(',')}`, { context: 'pref' });
    this.refused = refused;
    this.headers = { 'JPIP-pref': refused.join(',') };
  }
}
