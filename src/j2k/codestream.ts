// Codestream walk: main header, then every tile-part (SOT ... SOD, body) up to EOC, ISO/IEC
// 15444-1 A.3 and A.4.2. Tile-parts of one tile may come in any order and interleave with other
// tiles; they are grouped per tile and sorted by TPsot. Psot = 0 (last tile-part) runs to EOC.
// A missing EOC is a warning; a tile-part running past the input is TruncatedError.

import { ByteReader, MalformedError, TruncatedError } from '../bytes';
import * as M from './markers/codes';
import { parseSot } from './markers/sot';
import { parseMainHeaderAt, parseTilePartHeader, readSegment } from './header-parse';
import type { MainHeader, MarkerSegment, ParseOptions, TilePartHeader } from './header-types';

export interface TilePart {
  tile: number;
  TPsot: number;
  TNsot: number;
  /** Index of this tile-part in codestream order. */
  order: number;
  sotOffset: number;
  /** Total length from SOT to the end of its data (Psot, or computed when Psot = 0). */
  length: number;
  /** Offset of the first body byte (after SOD) and of the byte after the body. */
  dataOffset: number;
  dataEnd: number;
  header: TilePartHeader;
  /** Marker segments of the header, SOT and SOD excluded (the tile-header data-bin content). */
  markers: MarkerSegment[];
}

export interface ParsedCodestream {
  main: MainHeader;
  /** Tile-parts in codestream order. */
  tileParts: TilePart[];
  /** Per tile, its tile-parts in TPsot order. */
  tiles: TilePart[][];
  numTiles: number;
}

// ISO/IEC 15444-1 A.3 (codestream syntax), A.4.2 (SOT)
export function parseCodestream(cs: Uint8Array, options: ParseOptions = {}): ParsedCodestream {
  const main = parseMainHeaderAt(cs, 0, options);
  const numTiles = main.siz.tilesX * main.siz.tilesY;
  const r = new ByteReader(cs);
  r.seek(main.end);
  const tileParts: TilePart[] = [];
  const tiles: TilePart[][] = Array.from({ length: numTiles }, () => []);
  let sawEoc = false;
  let warnedNoEoc = false;
  while (r.remaining > 0) {
    if (r.remaining < 2)
      throw new TruncatedError('J2K_TRUNCATED', 'codestream ends inside a marker', { offset: r.offset });
    const code = r.peekU16('marker');
    if (code === M.EOC) {
      sawEoc = true;
      if (r.remaining > 2)
        options.onWarning?.({
          code: 'J2K_DATA_AFTER_EOC',
          message: `${r.remaining - 2} bytes after EOC`,
          offset: r.offset + 2,
        });
      break;
    }
    if (code !== M.SOT)
      throw new MalformedError('J2K_EXPECTED_SOT', `expected SOT or EOC, found ${M.markerName(code)}`, {
        offset: r.offset,
      });
    const { offset: sotOffset, seg } = readSegment(r);
    const sot = parseSot(seg, numTiles);
    if (sot.TNsot !== 0 && sot.TPsot >= sot.TNsot) {
      options.onWarning?.({
        code: 'J2K_SOT_TPSOT',
        message: `TPsot ${sot.TPsot} >= TNsot ${sot.TNsot}`,
        offset: sotOffset,
      });
    }
    const header = parseTilePartHeader(r, main.siz.Csiz, options);
    const dataOffset = r.offset;
    let dataEnd: number;
    if (sot.Psot === 0) {
      // Psot = 0: the data runs to EOC, which ends the codestream.
      const end = cs.length;
      dataEnd = end >= 2 && cs[end - 2] === 0xff && cs[end - 1] === 0xd9 ? end - 2 : end;
      if (dataEnd === end) {
        warnedNoEoc = true;
        options.onWarning?.({ code: 'J2K_NO_EOC', message: 'codestream has no EOC', offset: end });
      }
    } else {
      dataEnd = sotOffset + sot.Psot;
      if (dataEnd < dataOffset) {
        throw new MalformedError('J2K_SOT_PSOT', `Psot ${sot.Psot} shorter than the tile-part header`, {
          offset: sotOffset + 6,
          context: 'SOT',
        });
      }
      if (dataEnd > cs.length) {
        throw new TruncatedError(
          'J2K_TILE_PART_TRUNCATED',
          `tile-part of ${sot.Psot} bytes runs past the end (${cs.length})`,
          { offset: sotOffset },
        );
      }
    }
    const markers = header.markers;
    const tp: TilePart = {
      ...sot,
      tile: sot.Isot,
      order: tileParts.length,
      sotOffset,
      length: dataEnd - sotOffset,
      dataOffset,
      dataEnd,
      header,
      markers,
    };
    tileParts.push(tp);
    (tiles[sot.Isot] as TilePart[]).push(tp);
    r.seek(dataEnd);
  }
  if (!sawEoc && !warnedNoEoc)
    options.onWarning?.({ code: 'J2K_NO_EOC', message: 'codestream ends without EOC', offset: cs.length });
  for (const parts of tiles) {
    parts.sort((a, b) => a.TPsot - b.TPsot);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as TilePart;
      if (p.TPsot !== i) {
        throw new MalformedError(
          'J2K_TILE_PART_ORDER',
          `tile ${p.tile}: tile-part index ${p.TPsot} where ${i} was expected`,
          { offset: p.sotOffset },
        );
      }
      if (p.TNsot !== 0 && p.TNsot !== parts.length) {
        options.onWarning?.({
          code: 'J2K_TNSOT_MISMATCH',
          message: `tile ${p.tile}: TNsot ${p.TNsot} but ${parts.length} tile-parts`,
          offset: p.sotOffset,
        });
      }
    }
  }
  return { main, tileParts, tiles, numTiles };
}
