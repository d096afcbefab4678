// JPIP (issue #4 Proof, last bullet): Fovea against OpenJPEG's opj_server serving the same
// codestream — an 8192² 16-bit RPCL frame with 256² precincts and 5 layers (2048² in --quick) —
// over loopback with keep-alive: requests/s (goal ≥ 5× opj_server), body bytes per view against
// the precincts it strictly needs (≤ 1.02), a repeated view on a channel (≤ 1 % of the first) and
// a fit-to-screen first view against the whole frame (≤ 1/12). Fovea runs as a child
// `fovea serve`; the image is ingested by STOW-RS as a JPEG 2000 DICOM object.

import * as path from 'node:path';
import { buildPacketIndex } from '../src/j2k';
import { stow } from './http-client';
import { byteRows } from './jpip-bytes';
import { JpipClient } from './jpip-http';
import { benchImage, writeJ2kDicom, type BenchImageSpec } from './jpip-image';
import { opjServerAvailable, startOpjServer, type OpjServer } from './jpip-opj';
import { rateRows, WINDOW } from './jpip-rates';
import { StrictCalculator } from './jpip-strict';
import { startFovea, tempDir, type Peer } from './processes';
import { MB } from './stats';
import type { BenchContext, BenchRow } from './types';

const FULL_IMAGE: BenchImageSpec = { size: 8192, resolutions: 7, precinct: 256, rates: [80, 40, 20, 10, 1] };
const QUICK_IMAGE: BenchImageSpec = { size: 2048, resolutions: 6, precinct: 256, rates: [80, 40, 20, 10, 1] };

/** Deterministic window offsets in [0, size - WINDOW] (xorshift32). */
function randomOffsets(size: number, n: number): [number, number][] {
  let s = 0x1234567;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % (size - WINDOW + 1);
  };
  return Array.from({ length: n }, () => [next(), next()]);
}

export async function runJpipBench(ctx: BenchContext): Promise<BenchRow[]> {
  const spec = ctx.quick ? QUICK_IMAGE : FULL_IMAGE;
  const image = benchImage(spec, ctx.log);
  const index = buildPacketIndex(image.codestream);
  const strict = new StrictCalculator(image.codestream, index);
  ctx.log(
    `  jpip: ${spec.size}² 16-bit, ${strict.levels} levels, ${strict.layers} layers, ${index.precincts.length} precincts, codestream ${(image.codestream.length / MB).toFixed(1)} MB (${image.cached ? 'cached' : `encoded in ${image.encodeSeconds.toFixed(0)} s`}: ${image.jp2File})`,
  );

  const tmp = tempDir('fovea-bench-jpip-');
  let fovea: Peer | null = null;
  let opj: OpjServer | null = null;
  const clients: JpipClient[] = [];
  try {
    const dcm = path.join(tmp.dir, 'image.dcm');
    const uid = writeJ2kDicom(dcm, image.codestream, spec.size);
    fovea = await startFovea(path.join(tmp.dir, 'data'));
    const stored = await stow(fovea.dicomweb, [{ file: dcm }]);
    if (stored.stored !== 1)
      throw new Error(`STOW of the JPIP bench image: status ${stored.status}, ${stored.failed} failed`);
    const foveaClient = new JpipClient('Fovea', Number(new URL(fovea.dicomweb).port), uid, true);
    clients.push(foveaClient);
    if (opjServerAvailable()) opj = await startOpjServer(image.jp2File, ctx.log);
    else
      ctx.log(
        '  jpip: opj_server/lighttpd/spawn-fcgi not installed (libopenjpip-server, lighttpd, spawn-fcgi): no peer numbers',
      );
    const peerClient = opj === null ? null : new JpipClient('opj_server', opj.port, opj.target, false);
    if (peerClient !== null) {
      clients.push(peerClient);
      const probe = await peerClient.stateless('fsiz=512,512');
      if (probe.status !== 200) throw new Error(`opj_server answered ${probe.status} to the first request`);
    }
    const offsets = randomOffsets(spec.size, 64);
    const rows = await byteRows(
      ctx,
      { size: spec.size, offsets, strict, codestreamBytes: image.codestream.length },
      foveaClient,
      peerClient,
    );
    const limits = ctx.quick ? { maxRequests: 300, maxMs: 3000 } : { maxRequests: 3000, maxMs: 10_000 };
    rows.unshift(...(await rateRows(ctx, { size: spec.size, offsets, limits }, foveaClient, peerClient)));
    return rows;
  } finally {
    for (const c of clients) c.destroy();
    opj?.stop();
    await fovea?.stop();
    tmp.remove();
  }
}
