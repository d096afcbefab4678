// JPIP target names (ISO/IEC 15444-9 C.2.1) as Fovea serves them: `<SOP Instance UID>` is the
// instance's frames as raw codestreams (metadata-bin 0 empty, the DICOM case), `<uid>.jp2` is the
// same instance viewed as a JP2 file of frame 1 (metadata-bin 0 holds signature, ftyp, jp2h and a
// codestream placeholder). Clients that only register targets named like a JP2 file (OpenJPEG's
// opj_dec_server keeps a target only if its name contains "jp2") use the alias. The two names are
// different logical targets with different tids, because their metadata-bins differ (A.3.6).

export type TargetView = 'codestream' | 'jp2';

export interface TargetName {
  /** The name as the client gave it (what a session remembers). */
  name: string;
  sopInstanceUid: string;
  view: TargetView;
}

const JP2_SUFFIX = '.jp2';

export function parseTargetName(name: string): TargetName {
  if (name.endsWith(JP2_SUFFIX) && name.length > JP2_SUFFIX.length)
    return { name, sopInstanceUid: name.slice(0, -JP2_SUFFIX.length), view: 'jp2' };
  return { name, sopInstanceUid: name, view: 'codestream' };
}
