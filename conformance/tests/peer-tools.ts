// Shared by the conformance tests that drive real peer tools: is a command installed, and a free
// loopback port for a peer to listen on.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export function hasCommand(cmd: string): boolean {
  return (process.env['PATH'] ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, cmd)));
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}
