// Recognises Node's file-system error codes. Duck-typed on purpose: errors raised by node:fs may
// come from another realm (jest sandboxes), where `instanceof Error` is false.

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
