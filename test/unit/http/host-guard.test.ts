// The DNS-rebinding guard's matching (src/http/host-guard.ts) and the FOVEA_ALLOWED_HOSTS grammar
// (src/config-http.ts): Host values (RFC 9110 §7.2) accepted for the public URL, the configured
// list and loopback names, and everything else refused.

import { readConfig } from '../../../src/config';
import { hostAllowed, hostRules, type HostGuardOptions } from '../../../src/http/host-guard';

function allowed(options: HostGuardOptions, host: string | undefined): boolean {
  const { rules, defaultPort } = hostRules(options);
  return hostAllowed(host, rules, defaultPort);
}

describe('hostAllowed', () => {
  const publicOnly: HostGuardOptions = { publicUrl: 'https://pacs.example', allowedHosts: [] };

  it('accepts the public URL host on its port (default port implied or written), case-insensitively', () => {
    for (const h of ['pacs.example', 'PACS.Example', 'pacs.example:443', 'pacs.example.'])
      expect(allowed(publicOnly, h)).toBe(true);
    for (const h of ['pacs.example:80', 'pacs.example:8443', 'evil.example', 'pacs.example.evil.example', 'localhost'])
      expect(allowed(publicOnly, h)).toBe(false);
    expect(allowed({ publicUrl: 'http://pacs.example:8080/base', allowedHosts: [] }, 'pacs.example:8080')).toBe(true);
    expect(allowed({ publicUrl: 'http://pacs.example:8080/base', allowedHosts: [] }, 'pacs.example')).toBe(false);
  });

  it('refuses a missing, empty or malformed Host', () => {
    for (const h of [
      undefined,
      '',
      ' ',
      'pacs.example:',
      'pacs.example:99999',
      'a@pacs.example',
      'pacs.example/x',
      '[::1',
    ])
      expect(allowed(publicOnly, h)).toBe(false);
  });

  it('accepts FOVEA_ALLOWED_HOSTS entries: a name on any port, a name:port on that port', () => {
    const o: HostGuardOptions = {
      publicUrl: 'https://pacs.example',
      allowedHosts: [{ name: 'a.example' }, { name: 'b.example', port: 8443 }, { name: '[fd00::1]', port: 443 }],
    };
    for (const h of ['a.example', 'a.example:8080', 'b.example:8443', '[fd00::1]', '[FD00::1]:443'])
      expect(allowed(o, h)).toBe(true);
    for (const h of ['b.example', 'b.example:443', '[fd00::1]:80', 'c.example']) expect(allowed(o, h)).toBe(false);
  });

  it('accepts loopback names with the bound port only when listening on loopback', () => {
    const o: HostGuardOptions = {
      publicUrl: 'https://pacs.example',
      allowedHosts: [],
      loopback: { host: '127.0.0.2', port: 8080 },
    };
    for (const h of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', '127.0.0.2:8080', 'LOCALHOST:8080'])
      expect(allowed(o, h)).toBe(true);
    for (const h of ['localhost', 'localhost:8081', '127.0.0.3:8080']) expect(allowed(o, h)).toBe(false);
    expect(allowed(publicOnly, 'localhost:8080')).toBe(false);
    expect(allowed({ ...o, loopback: { host: '::1', port: 8080 } }, '[::1]:8080')).toBe(true);
  });
});

describe('FOVEA_ALLOWED_HOSTS', () => {
  it('parses names, ports and IPv6 literals, and refuses what is not one', () => {
    const c = readConfig({}, { FOVEA_ALLOWED_HOSTS: ' A.example , b.example:8443,[fd00::1]:443,,' });
    expect(c.allowedHosts).toEqual([
      { name: 'a.example', port: undefined },
      { name: 'b.example', port: 8443 },
      { name: '[fd00::1]', port: 443 },
    ]);
    expect(readConfig({}, {}).allowedHosts).toEqual([]);
    for (const bad of ['https://a.example', 'a.example:0', 'a.example:70000', 'a b', 'a.example/x', '*'])
      expect(() => readConfig({}, { FOVEA_ALLOWED_HOSTS: bad })).toThrow(
        expect.objectContaining({ code: 'CONFIG_BAD_ALLOWED_HOST' }),
      );
  });

  it('the default public URL is https:// when FOVEA_TLS_CERT/KEY are set', () => {
    const c = readConfig({ port: '8443' }, { FOVEA_TLS_CERT: 'c.pem', FOVEA_TLS_KEY: 'k.pem' });
    expect(c.publicUrl).toBe('https://127.0.0.1:8443');
    expect(c.tls).toMatchObject({ hstsMaxAgeSeconds: 31536000 });
    expect(readConfig({ port: '8080' }, {}).publicUrl).toBe('http://127.0.0.1:8080');
    expect(readConfig({ port: '8080' }, {}).tls).toBeNull();
  });
});
