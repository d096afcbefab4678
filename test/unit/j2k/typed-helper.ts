// Runs a parse and returns its typed error (asserting it carries a string code), or null when it
// succeeds; any other exception fails the test. Shared by malformed.test.ts and
// malformed-corpus.test.ts.
import { ParseError } from '../../../src/bytes';

export function expectTyped(fn: () => unknown): ParseError | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    expect(typeof e.code).toBe('string');
    return e;
  }
}
