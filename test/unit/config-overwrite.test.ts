// FOVEA_OVERWRITE / --overwrite (issue #10): the overwrite policy read by the one config reader.

import { ConfigError, readConfig } from '../../src/config';

describe('overwrite policy', () => {
  test("defaults to 'never'; FOVEA_OVERWRITE sets it; the flag wins over the environment", () => {
    expect(readConfig({}, {}).overwrite).toBe('never');
    expect(readConfig({}, { FOVEA_OVERWRITE: 'always' }).overwrite).toBe('always');
    expect(readConfig({ overwrite: 'never' }, { FOVEA_OVERWRITE: 'always' }).overwrite).toBe('never');
  });
  test.each(['yes', 'ALWAYS', '', 'replace'])('"%s" is refused with CONFIG_BAD_OVERWRITE', (v) => {
    let err: unknown;
    try {
      readConfig({}, { FOVEA_OVERWRITE: v });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'CONFIG_BAD_OVERWRITE' });
  });
});
