// Public API of dimse/: the DICOM network node (PS3.7/PS3.8 upper layer via dcmjs-dimse) —
// Verification, Storage, Query/Retrieve (FIND, MOVE, GET) SCP mapped onto ingest/, store/ and retrieve/.
export { startDimse, type DimseDeps, type RunningDimse } from './server';
export type { Peer } from './store-scu';
export { DimseStatus, storeStatusFor, queryFailureStatusFor, retrieveFinalStatus } from './status';
export { identifierToQuery, matchToIdentifier, type MappedIdentifier, type QueryRetrieveLevel } from './identifier';
export { STORAGE_SYNTAXES, isStorageSopClass, chooseTransferSyntax } from './sop-classes';
/** The BCP 195 (RFC 9325 §4.2) TLS policy, also used by HTTPS (server.ts). */
export { BCP195_CIPHERS, TLS_MIN_VERSION } from './tls';
