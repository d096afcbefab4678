// Public API of src/http (CONVENTIONS.md: only server.ts imports it).
export { createApp, DICOMWEB_PATH, type AppDeps } from './app';
export { createDicomwebRouter, type DicomwebDeps, type DicomwebLimits } from './dicomweb/router';
export {
  errorMiddleware,
  mapError,
  stowStatus,
  useNotImplementedForUnsupported,
  type ErrorBodyFormat,
  type MappedError,
} from './error-map';
export { corsMiddleware, EXPOSED_HEADERS, type CorsOptions } from './cors';
export { createJpipRouter, type JpipRouterDeps } from './jpip';
export { hostAllowed, hostGuard, hostRules, type HostGuardOptions, type HostRule } from './host-guard';
