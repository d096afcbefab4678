// Display attributes read from a data set (PS3.3 C.11.1, C.11.2, C.7.6.16 functional groups).

import { DicomDataset } from '../../../src/dicom';
import { NotAcceptableError } from '../../../src/errors';
import { UnsupportedError } from '../../../src/bytes';
import { framePresentation } from '../../../src/render';

function image(pi = 'MONOCHROME2', samples = 1): DicomDataset {
  const ds = new DicomDataset();
  ds.setNumber(0x00280002, 'US', samples);
  ds.setString(0x00280004, 'CS', pi);
  ds.setNumber(0x00280010, 'US', 4);
  ds.setNumber(0x00280011, 'US', 4);
  ds.setNumber(0x00280100, 'US', 16);
  ds.setNumber(0x00280101, 'US', 12);
  ds.setNumber(0x00280102, 'US', 11);
  ds.setNumber(0x00280103, 'US', 1);
  return ds;
}

describe('framePresentation', () => {
  it('top-level rescale, first window value and VOI LUT Function', () => {
    const ds = image('MONOCHROME1');
    ds.setString(0x00281053, 'DS', '2').setString(0x00281052, 'DS', '-1024');
    ds.setString(0x00281050, 'DS', ['40', '300'])
      .setString(0x00281051, 'DS', ['400', '1500'])
      .setString(0x00281056, 'CS', 'SIGMOID');
    const p = framePresentation(ds, 1);
    expect(p).toMatchObject({
      invert: true,
      colour: 'gray',
      rescale: { slope: 2, intercept: -1024 },
      voi: { kind: 'window', window: { center: 40, width: 400, function: 'sigmoid' } },
    });
  });
  it('per-frame functional groups override shared ones, which override the top level', () => {
    const ds = image();
    ds.setString(0x00281050, 'DS', '1').setString(0x00281051, 'DS', '2');
    const voi = (c: string, w: string): DicomDataset =>
      new DicomDataset().setString(0x00281050, 'DS', c).setString(0x00281051, 'DS', w);
    const pvt = new DicomDataset().setString(0x00281053, 'DS', '3').setString(0x00281052, 'DS', '7');
    ds.setSequence(0x52009229, [
      new DicomDataset().setSequence(0x00289132, [voi('100', '200')]).setSequence(0x00289145, [pvt]),
    ]);
    ds.setSequence(0x52009230, [new DicomDataset(), new DicomDataset().setSequence(0x00289132, [voi('500', '600')])]);
    expect(framePresentation(ds, 1)).toMatchObject({
      rescale: { slope: 3, intercept: 7 },
      voi: { window: { center: 100, width: 200 } },
    });
    expect(framePresentation(ds, 2).voi).toMatchObject({ window: { center: 500, width: 600, function: 'linear' } });
  });
  it('a VOI LUT Sequence item (signed first mapped value, 16-bit words)', () => {
    const ds = image();
    const data = new Uint8Array([0, 0, 0xff, 0x0f]);
    ds.setSequence(0x00283010, [
      new DicomDataset().setNumber(0x00283002, 'US', [2, 65535, 12]).setBytes(0x00283006, 'OW', data),
    ]);
    const p = framePresentation(ds, 1);
    expect(p.voi).toEqual({ kind: 'lut', lut: { firstMapped: -1, bits: 12, data: Uint16Array.from([0, 4095]) } });
  });
  it('unusable stored values are ignored with a warning; no VOI means null', () => {
    const ds = image();
    ds.setString(0x00281050, 'DS', '40').setString(0x00281051, 'DS', '0');
    ds.setString(0x00281053, 'DS', 'abc');
    const p = framePresentation(ds, 1);
    expect(p.voi).toBeNull();
    expect(p.rescale).toEqual({ slope: 1, intercept: 0 });
    expect(p.warnings.length).toBe(2);
  });
  it('colour models; non-images are NotAcceptable, palette colour Unsupported', () => {
    expect(framePresentation(image('YBR_FULL_422', 3), 1).colour).toBe('ybr-full');
    expect(framePresentation(image('YBR_ICT', 3), 1)).toMatchObject({ colour: 'rgb', voi: null });
    expect(() => framePresentation(new DicomDataset(), 1)).toThrow(NotAcceptableError);
    expect(() => framePresentation(image('PALETTE COLOR'), 1)).toThrow(UnsupportedError);
  });
});
