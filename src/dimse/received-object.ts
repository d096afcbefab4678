// Receives one C-STORE data set from the P-DATA stream straight into a temporary Part 10 file
// (File Meta built from the command's Affected SOP Class/Instance UIDs and the accepted transfer
// syntax, PS3.10 §7.1, then the data set bytes exactly as received, deflated ones included), so
// memory stays bounded and ingest parses the sender's bytes, not a dcmjs re-encoding.
// A data set larger than the cap is drained and dropped (the response is then 0xA700).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { DicomDataset, encodeFileMetaInformation } from '../dicom';

export interface ReceivedFile {
  path: string;
  /** Bytes of the data set as received (without the File Meta we added). */
  datasetBytes: number;
  /** True when the data set exceeded the cap and was not kept. */
  overflow: boolean;
}

export interface ReceiveOptions {
  tmpDir: string;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  callingAeTitle: string;
  maxBytes: number;
}

/** A Writable for dcmjs-dimse's createStoreWritableStream, plus the completion of the file. */
export class ReceivedObject {
  readonly path: string;
  readonly writable: Writable;
  readonly done: Promise<ReceivedFile>;
  private readonly file: fs.WriteStream;
  private datasetBytes = 0;
  private overflow = false;

  constructor(options: ReceiveOptions) {
    this.path = path.join(options.tmpDir, `dimse-${randomUUID()}.dcm`);
    this.file = fs.createWriteStream(this.path, { flags: 'wx' });
    const meta = encodeFileMetaInformation(new DicomDataset(), options.transferSyntaxUid, {
      mediaStorageSopClassUid: options.sopClassUid,
      mediaStorageSopInstanceUid: options.sopInstanceUid,
      sourceApplicationEntityTitle: options.callingAeTitle,
    });
    this.file.write(meta);
    const file = this.file;
    this.writable = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.datasetBytes += chunk.length;
        if (this.overflow || this.datasetBytes > options.maxBytes) {
          this.overflow = true;
          callback();
          return;
        }
        if (file.write(chunk)) callback();
        else file.once('drain', () => callback());
      },
      final: (callback) => {
        file.end((err?: Error | null) => callback(err ?? null));
      },
    });
    this.done = new Promise<ReceivedFile>((resolve, reject) => {
      this.writable.once('finish', () =>
        resolve({ path: this.path, datasetBytes: this.datasetBytes, overflow: this.overflow }),
      );
      this.writable.once('error', reject);
      file.once('error', reject);
    });
    // The owner awaits `done` only once the data set is complete; avoid an unhandled rejection
    // when the association drops before that.
    this.done.catch(() => undefined);
  }

  /** Stops receiving (association aborted mid-transfer) and removes the partial file. */
  async discard(): Promise<void> {
    this.writable.destroy();
    this.file.destroy();
    await fs.promises.rm(this.path, { force: true });
  }
}
