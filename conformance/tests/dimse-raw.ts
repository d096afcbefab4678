// A raw DICOM upper-layer client for the abuse tests: TCP connections from a chosen loopback
// address (Linux routes all of 127.0.0.0/8 to lo, so 127.0.0.2.. are distinct "remote" addresses),
// a hand-built A-ASSOCIATE-RQ (PS3.8 §9.3.2) and a record of what the server sent and when it closed.

import * as net from 'node:net';

function ae(title: string): Buffer {
  return Buffer.from(title.padEnd(16, ' '), 'ascii');
}

function item(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = type;
  h.writeUInt16BE(body.length, 2);
  return Buffer.concat([h, body]);
}

/** A-ASSOCIATE-RQ proposing Verification in Implicit VR Little Endian (PS3.8 §9.3.2, Table 9-11). */
export function associateRq(called: string, calling = 'ATTACKER'): Buffer {
  const fixed = Buffer.alloc(68);
  fixed.writeUInt16BE(1, 0); // protocol version
  ae(called).copy(fixed, 4);
  ae(calling).copy(fixed, 20);
  const appContext = item(0x10, Buffer.from('1.2.840.10008.3.1.1.1'));
  const pc = item(
    0x20,
    Buffer.concat([
      Buffer.from([1, 0, 0, 0]), // presentation context id 1
      item(0x30, Buffer.from('1.2.840.10008.1.1')),
      item(0x40, Buffer.from('1.2.840.10008.1.2')),
    ]),
  );
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(16384);
  const userInfo = item(0x50, item(0x51, maxLength));
  const body = Buffer.concat([fixed, appContext, pc, userInfo]);
  const header = Buffer.alloc(6);
  header[0] = 0x01;
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

export interface RawConnection {
  socket: net.Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** Resolves with the time (ms since connect) when the server closed or reset the connection. */
  closed: Promise<number>;
  /** Resolves once at least `n` bytes have arrived (rejects on close before). */
  bytes(n: number, timeoutMs?: number): Promise<Buffer>;
}

export async function connectRaw(port: number, localAddress = '127.0.0.1'): Promise<RawConnection> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const started = performance.now();
  let data = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    data = Buffer.concat([data, chunk]);
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => undefined); // a reset is a close here
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      for (const w of waiters.splice(0)) w();
      resolve(performance.now() - started);
    }),
  );
  const bytes = async (n: number, timeoutMs = 5000): Promise<Buffer> => {
    const deadline = performance.now() + timeoutMs;
    while (data.length < n) {
      if (socket.destroyed) throw new Error(`closed after ${data.length} of ${n} bytes`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timeout after ${data.length} of ${n} bytes`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return data;
  };
  return { socket, received: () => data, closed, bytes };
}
