// The retrieve side's contract (WADO-RS, WADO-URI, DIMSE C-GET/C-MOVE): produce stored objects
// in a chosen transfer syntax as streams, frames and bulk data. The HTTP layer negotiates what to
// ask for (Accept / transferSyntax) from `transferSyntaxesFor`, then calls the producers.

/** Transfer syntax choice: a UID, or '*' meaning "as stored" (PS3.18 §8.7.3.5.2). */
export type TransferSyntaxChoice = string;

export interface ObjectStream {
  /** The transfer syntax actually used (never '*'). */
  transferSyntaxUid: string;
  /** Exact byte length when known in advance (for Content-Length / Range), else null. */
  length: number | null;
  chunks: AsyncIterable<Uint8Array>;
}

export interface FrameBytes {
  transferSyntaxUid: string;
  /** Bulk media type of the frame: image/jp2 (J2K codestream), image/jphc (HTJ2K),
   *  application/octet-stream (uncompressed little-endian samples). */
  mediaType: string;
  bytes: Uint8Array;
}

export interface InstanceOptions {
  /** A study-scoped link token the requester authenticated with: a JPIP Referenced object's Pixel
   *  Data Provider URL (PS3.5 §8.4.1) carries it as `&token=`, so a JPIP client holding only the
   *  object (an EHR hand-off) can open the pixels. It grants that study only and expires with the
   *  link; other principals' objects carry no credential. */
  providerUrlToken?: string;
}

export interface FrameOptions {
  /** Any transfer syntax is acceptable (`application/octet-stream; transfer-syntax=*`). The stored
   *  codestream is still preferred, except where a client decoding it would read its samples with
   *  the wrong sign: the codestream's SIZ says unsigned (or signed) and the header's Pixel
   *  Representation says otherwise (e.g. TOSHIBA_J2K_OpenJPEGv2Regression). Decoders such as
   *  Cornerstone's follow SIZ and show air white; Fovea then decodes, following the header as GDCM
   *  and DCMTK do, and labels the frame Explicit VR LE. */
  anySyntax?: boolean;
}

export interface RetrieveService {
  /** Syntaxes this instance can be produced in, the stored one first. */
  transferSyntaxesFor(sopInstanceUid: string): string[];
  /** The whole instance as a Part 10 file in the chosen syntax (NotAcceptableError if it can't). */
  instance(
    sopInstanceUid: string,
    transferSyntax: TransferSyntaxChoice,
    options?: InstanceOptions,
  ): Promise<ObjectStream>;
  /** One frame (1-based) in the chosen syntax: the stored codestream for '*' or its own syntax,
   *  decoded little-endian samples for Explicit VR LE (1.2.840.10008.1.2.1). With `anySyntax`
   *  (the client accepts any syntax as octet-stream), a stored codestream whose sign contradicts
   *  the header's Pixel Representation is sent decoded in Explicit VR LE instead (FrameOptions). */
  frame(
    sopInstanceUid: string,
    frameNumber: number,
    transferSyntax: TransferSyntaxChoice,
    options?: FrameOptions,
  ): Promise<FrameBytes>;
  /** Bulk data of one attribute (path of 8-hex tags, e.g. ["7FE00010"] or ["00540016","0","00181072"]). */
  bulkdata(sopInstanceUid: string, tagPath: string[]): Promise<{ mediaType: string; bytes: Uint8Array }>;
}
