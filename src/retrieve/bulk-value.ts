// Locates the value of one attribute by a WADO-RS bulkdata path (PS3.18 §8.6.2 / §10.4.1.1.5):
// alternating 8-hex tags and 0-based item indexes, e.g. ["00540016", "0", "00181072"].

import { BadRequestError, NotFoundError } from '../errors';
import type { DicomDataset } from '../dicom';

export function bulkValue(root: DicomDataset, path: readonly string[]): Uint8Array {
  let ds = root;
  for (let i = 0; i < path.length; i++) {
    const part = path[i] as string;
    if (i % 2 === 0) {
      if (!/^[0-9A-Fa-f]{8}$/.test(part))
        throw new BadRequestError('BULKDATA_BAD_PATH', `"${part}" is not an 8-hex-digit tag`);
      const tag = parseInt(part, 16);
      if (i === path.length - 1) {
        const bytes = ds.bytes(tag);
        if (bytes === undefined) throw new NotFoundError('BULKDATA_NOT_FOUND', `no binary value at ${path.join('/')}`);
        return bytes;
      }
      const items = ds.sequence(tag);
      const idxRaw = path[i + 1];
      if (items === undefined || idxRaw === undefined)
        throw new NotFoundError('BULKDATA_NOT_FOUND', `no sequence at ${path.slice(0, i + 1).join('/')}`);
      if (!/^\d+$/.test(idxRaw)) throw new BadRequestError('BULKDATA_BAD_PATH', `"${idxRaw}" is not an item index`);
      const item = items[Number(idxRaw)];
      if (item === undefined)
        throw new NotFoundError('BULKDATA_NOT_FOUND', `no item ${idxRaw} at ${path.slice(0, i + 1).join('/')}`);
      ds = item;
      i++;
    }
  }
  throw new BadRequestError('BULKDATA_BAD_PATH', 'empty bulkdata path');
}
