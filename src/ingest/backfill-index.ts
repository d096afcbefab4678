// Start-up task: frames stored before the packet index existed, or whose index failed to build,
// get the packet index of their frame row (docs/architecture.md "Storage model") computed from
// their stored codestream. Frames whose codestream still cannot be indexed are logged and skipped
// (listed once per start).

import type { OpenedStore } from '../store';
import type { Logger } from '../log';
import { buildPacketIndex, encodePacketIndex } from '../j2k';

export async function backfillPacketIndexes(
  store: OpenedStore,
  logger: Logger,
  batch = 200,
): Promise<{ indexed: number; failed: number }> {
  let indexed = 0;
  let failed = 0;
  const seen = new Set<string>();
  for (;;) {
    const frames = store.instances
      .framesWithoutIndex(batch)
      .filter((f) => !seen.has(`${f.sopInstanceUid}/${f.frameNumber}`));
    if (frames.length === 0) break;
    for (const f of frames) {
      seen.add(`${f.sopInstanceUid}/${f.frameNumber}`);
      try {
        const bytes = await store.blobs.read(f.framesKey, f.offset, f.length);
        const codestream = bytes.subarray(f.codestreamOffset);
        store.instances.setPacketIndex(
          f.sopInstanceUid,
          f.frameNumber,
          encodePacketIndex(buildPacketIndex(codestream)),
        );
        indexed++;
      } catch (err) {
        failed++;
        logger.warn('index.backfill_failed', { sopInstanceUid: f.sopInstanceUid, frame: f.frameNumber, error: err });
      }
    }
  }
  if (indexed + failed > 0) logger.info('index.backfill', { indexed, failed });
  return { indexed, failed };
}
