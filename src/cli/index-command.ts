// `fovea index FILE [--frame N] [--json]`: the packet index (j2k buildPacketIndex) of a raw
// codestream (.j2k/.j2c/.jhc), a JP2/JPH file, or one frame of a DICOM object. Default output is a summary;
// --json prints every packet with tile, component, resolution, precinct, layer, offsets, length
// and JPIP precinct data-bin id. Offsets are relative to the codestream's SOC marker. Exit codes:
// 0 indexed, 1 the input is damaged or unsupported (typed error on stderr), 2 usage.

import * as fs from 'node:fs';
import { bufferSource, ParseError } from '../bytes';
import {
  parseDicom,
  frameLocations,
  readFrame,
  readExtendedOffsetTable,
  pixelDescription,
  transferSyntax,
} from '../dicom';
import {
  findCodestream,
  codestreamSummary,
  buildPacketIndex,
  encodePacketIndex,
  type CodestreamLocation,
  type PacketIndex,
} from '../j2k';
import { parseCommandArgs, stringOpt } from './args';
import { EXIT, UsageError } from './exit-codes';
import { commandUsage } from './usage';

function isDicom(bytes: Uint8Array): boolean {
  return bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

function dicomFrame(bytes: Uint8Array, frame: number): Uint8Array {
  const parsed = parseDicom(bufferSource(bytes));
  const ts = transferSyntax(parsed.transferSyntaxUid);
  if (ts === undefined || (ts.family !== 'j2k' && ts.family !== 'htj2k')) {
    throw new UsageError(`the DICOM file is in ${ts?.name ?? parsed.transferSyntaxUid}, not JPEG 2000 / HTJ2K`);
  }
  if (parsed.pixelData === null || parsed.pixelData.kind !== 'encapsulated')
    throw new UsageError('the DICOM file has no encapsulated Pixel Data');
  const desc = pixelDescription(parsed.dataset);
  const locations = frameLocations(
    parsed.pixelData,
    desc.numberOfFrames,
    parsed.source,
    readExtendedOffsetTable(parsed.dataset),
  );
  const loc = locations[frame - 1];
  if (loc === undefined) throw new UsageError(`frame ${frame} does not exist (the object has ${locations.length})`);
  return readFrame(parsed.source, loc);
}

function printJson(index: PacketIndex): void {
  const out = process.stdout;
  out.write(
    '{"mainHeader":' +
      JSON.stringify(index.mainHeader) +
      ',"numTiles":' +
      index.numTiles +
      ',"numComponents":' +
      index.numComponents,
  );
  out.write(',"layers":' + index.layers + ',"packetCount":' + index.packetCount + ',"packets":[\n');
  let first = true;
  for (const p of index.precincts) {
    p.packets.forEach((k, layer) => {
      const row = {
        tile: p.tile,
        component: p.component,
        resolution: p.resolution,
        precinct: p.precinct,
        layer,
        offset: k.headerOffset,
        headerLength: k.headerLength,
        bodyOffset: k.bodyOffset,
        bodyLength: k.bodyLength,
        length: k.headerLength + k.bodyLength,
        dataBinId: p.binId,
      };
      out.write((first ? '' : ',\n') + JSON.stringify(row));
      first = false;
    });
  }
  out.write('\n]}\n');
}

export async function runIndex(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandArgs(
    argv,
    { frame: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (help) {
    process.stdout.write(commandUsage('index'));
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('index needs exactly one FILE');
  const file = positionals[0] as string;
  const frameRaw = stringOpt(values, 'frame') ?? '1';
  if (!/^[1-9]\d*$/.test(frameRaw)) throw new UsageError(`--frame must be a positive whole number, got "${frameRaw}"`);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let loc: CodestreamLocation;
  let codestream: Uint8Array;
  let index: PacketIndex;
  const started = process.hrtime.bigint();
  try {
    const frame = isDicom(bytes) ? dicomFrame(bytes, Number(frameRaw)) : bytes;
    loc = findCodestream(frame);
    codestream = frame.subarray(loc.offset, loc.offset + loc.length);
    index = buildPacketIndex(codestream);
  } catch (err) {
    // A damaged or unsupported input is a failed input (exit 1), not an internal error.
    if (!(err instanceof ParseError)) throw err;
    process.stderr.write(
      `fovea index: ${file}: ${err.message} (${err.code}${err.offset !== undefined ? ` at offset ${err.offset}` : ''})\n`,
    );
    return EXIT.failures;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (values['json'] === true) {
    printJson(index);
    return EXIT.ok;
  }
  const s = codestreamSummary(codestream);
  const encoded = encodePacketIndex(index);
  const lines = [
    `codestream     ${codestream.length} bytes at offset ${loc.offset}${loc.offset > 0 ? ' (inside a JP2/JPH file)' : ''}`,
    `image          ${s.width}x${s.height}, ${s.components} component(s), ${s.bitDepth}-bit ${s.signed ? 'signed' : 'unsigned'}${s.htj2k ? ', HTJ2K' : ''}`,
    `coding         ${s.levels} levels, ${s.layers} layer(s), ${s.progression}, tiles ${s.tilesX}x${s.tilesY}, precincts ${s.precincts || 'default'}`,
    `main header    ${index.mainHeader.length} bytes`,
    `tiles          ${index.numTiles} (${index.tiles.reduce((n, t) => n + t.parts.length, 0)} tile-parts)`,
    `precincts      ${index.precincts.length} data-bins`,
    `packets        ${index.packetCount}${index.packedHeaders ? ' (packed headers: PPM/PPT)' : ''}`,
    `index          ${encoded.length} bytes encoded (${((100 * encoded.length) / codestream.length).toFixed(2)} % of the codestream), built in ${ms.toFixed(1)} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}
