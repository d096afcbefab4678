// Marker codes of ISO/IEC 15444-1 A.2 Table A.2 and 15444-15 (CAP, CPF), with names for messages.

export const SOC = 0xff4f;
export const CAP = 0xff50;
export const SIZ = 0xff51;
export const COD = 0xff52;
export const COC = 0xff53;
export const TLM = 0xff55;
export const PLM = 0xff57;
export const PLT = 0xff58;
export const CPF = 0xff59;
export const QCD = 0xff5c;
export const QCC = 0xff5d;
export const RGN = 0xff5e;
export const POC = 0xff5f;
export const PPM = 0xff60;
export const PPT = 0xff61;
export const CRG = 0xff63;
export const COM = 0xff64;
export const SOT = 0xff90;
export const SOP = 0xff91;
export const EPH = 0xff92;
export const SOD = 0xff93;
export const EOC = 0xffd9;

const NAMES: ReadonlyMap<number, string> = new Map([
  [SOC, 'SOC'],
  [CAP, 'CAP'],
  [SIZ, 'SIZ'],
  [COD, 'COD'],
  [COC, 'COC'],
  [TLM, 'TLM'],
  [PLM, 'PLM'],
  [PLT, 'PLT'],
  [CPF, 'CPF'],
  [QCD, 'QCD'],
  [QCC, 'QCC'],
  [RGN, 'RGN'],
  [POC, 'POC'],
  [PPM, 'PPM'],
  [PPT, 'PPT'],
  [CRG, 'CRG'],
  [COM, 'COM'],
  [SOT, 'SOT'],
  [SOP, 'SOP'],
  [EPH, 'EPH'],
  [SOD, 'SOD'],
  [EOC, 'EOC'],
]);

export function markerName(code: number): string {
  return NAMES.get(code) ?? `0x${code.toString(16).toUpperCase()}`;
}

/** Markers without a length field (A.1.3): SOC, SOD, EOC, EPH and the reserved range FF30..FF3F. */
export function isDelimiter(code: number): boolean {
  return code === SOC || code === SOD || code === EOC || code === EPH || (code >= 0xff30 && code <= 0xff3f);
}
