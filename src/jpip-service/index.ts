// Public API of jpip-service/: the JPIP server as a service (ISO/IEC 15444-9 Annex B sessions,
// Annex C requests, Annex D responses) over store/ and the shared frame-model cache of frames/.
// A parsed JpipRequest in, plain headers + a body source + a finish callback out; no HTTP.
export { JpipService, type JpipCall, type JpipResponse, type JpipServiceDeps } from './service';
export { JpipSessions, type JpipSessionOptions } from './sessions';
export { JpipPrefRefusedError } from './errors';
export { parseTargetName, type TargetName, type TargetView } from './target-name';
