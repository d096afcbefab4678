// Decoder of version 1 of the packet index's binary form (written before version 2; frames
// stored then keep working). Version 1 stored every precinct's identity and every packet's
// header and body range. It has no coding segments: they come back empty. Never written any more.

import { type ByteReader, MalformedError } from '../bytes';
import type { PacketIndex, PacketRange, PrecinctEntry, TileEntry } from './index-types';
import { rangeChecker, readCount, readMarkers, readSv, readUv } from './index-varint';

/** Decodes the body of a version 1 index; `r` is positioned after magic and version byte. */
export function decodeV1(r: ByteReader): PacketIndex {
  const [codestreamLength, mhOffset, mhLength, numTiles, numComponents, layers, flags, packetCount] = Array.from(
    { length: 8 },
    () => readUv(r),
  ) as [number, number, number, number, number, number, number, number];
  const check = rangeChecker(r, codestreamLength);
  check(mhOffset, mhLength);
  const mainMarkers = readMarkers(r, 0, check);
  const tiles: TileEntry[] = [];
  const nt = readCount(r, 'tiles', 2);
  let prev = 0;
  for (let i = 0; i < nt; i++) {
    const tile = readUv(r);
    const np = readCount(r, 'tile-parts', 5);
    const parts: TileEntry['parts'] = [];
    for (let j = 0; j < np; j++) {
      const offset = prev + readSv(r);
      const length = readUv(r);
      const TPsot = readUv(r);
      const dataOffset = offset + readUv(r);
      check(offset, length);
      check(dataOffset, 0);
      parts.push({
        offset,
        length,
        TPsot,
        dataOffset,
        markers: readMarkers(r, offset + 12, check),
        codingSegments: new Uint8Array(0),
      });
      prev = offset + length;
    }
    tiles.push({ tile, parts });
  }
  const packed = (flags & 1) !== 0;
  const nprec = readCount(r, 'precincts', 6);
  const precincts: PrecinctEntry[] = [];
  let bin = 0;
  let end = 0;
  let bodyEnd = 0;
  let total = 0;
  for (let i = 0; i < nprec; i++) {
    bin += readUv(r);
    const [tile, component, resolution, precinct] = [readUv(r), readUv(r), readUv(r), readUv(r)] as [
      number,
      number,
      number,
      number,
    ];
    const n = readCount(r, 'packets', packed ? 4 : 3);
    const packets: PacketRange[] = [];
    for (let k = 0; k < n; k++) {
      const headerOffset = end + readSv(r);
      const headerLength = readUv(r);
      end = headerOffset + headerLength;
      const bodyOffset = packed ? bodyEnd + readSv(r) : end;
      const bodyLength = readUv(r);
      check(headerOffset, headerLength);
      check(bodyOffset, bodyLength);
      bodyEnd = bodyOffset + bodyLength;
      if (!packed) end = bodyEnd;
      packets.push({ headerOffset, headerLength, bodyOffset, bodyLength });
    }
    total += n;
    precincts.push({ binId: bin, tile, component, resolution, precinct, packets });
  }
  if (r.remaining !== 0)
    throw new MalformedError('J2K_INDEX_TRAILING', `${r.remaining} bytes after the index`, { offset: r.offset });
  if (total !== packetCount)
    throw new MalformedError('J2K_INDEX_COUNT', `packet count ${packetCount} but ${total} packets`, {
      offset: r.offset,
    });
  return {
    version: 1,
    codestreamLength,
    mainHeader: { offset: mhOffset, length: mhLength },
    mainMarkers,
    codingSegments: new Uint8Array(0),
    numTiles,
    numComponents,
    layers,
    packedHeaders: packed,
    tiles,
    precincts,
    packetCount,
  };
}
