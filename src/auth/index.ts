// Public API of src/auth: principals and permissions, credential verification (OIDC JWT, API key,
// link token), the request context and the study-scoped store view. No express.
export {
  ANONYMOUS,
  PERMISSIONS,
  hasPermission,
  parsePermissions,
  type Permission,
  type Principal,
  type PrincipalKind,
} from './principal';
export { ForbiddenError, UnauthenticatedError, type BearerErrorCode } from './errors';
export { API_KEY_PREFIX, generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys';
export {
  LINK_TOKEN_PREFIX,
  looksLikeLinkToken,
  parseTtl,
  signLinkToken,
  verifyLinkToken,
  type LinkClaims,
} from './link-tokens';
export type { JWK } from 'jose';
export { createOidcVerifier, type JwksSource, type OidcOptions, type OidcVerifier } from './oidc';
export { Authenticator, type AuthenticatorDeps, type IssuedLink } from './authenticator';
export { loadOrCreateLinkSecret, LINK_SECRET_FILE } from './link-secret';
export { currentPrincipal, currentStudyScope, runAs } from './request-context';
export { scopeQuery, studyScopedStore } from './study-scoped-store';
