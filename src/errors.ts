// Domain error types shared by every layer. No dependencies.
// Each error carries a stable string `code` (tests assert on it, never on the message).
// The HTTP status, DIMSE status or CLI exit code is chosen at the edge (src/http/error-map.ts,
// src/dimse, src/cli), never here.

export interface FoveaErrorOptions {
  cause?: unknown;
  /** Free-form context (marker name, tag, field) for logs and error bodies. */
  context?: string;
}

/** Base of every error Fovea throws on purpose. */
export class FoveaError extends Error {
  readonly code: string;
  readonly context: string | undefined;
  constructor(code: string, message: string, options: FoveaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context;
  }
}

/** The addressed resource (study, series, instance, frame, JPIP target, session) does not exist. */
export class NotFoundError extends FoveaError {}

/** The request conflicts with stored state (e.g. a study UID in the path that the instance contradicts). */
export class ConflictError extends FoveaError {}

/** Nothing acceptable to the client (Accept, transfer-syntax) can be produced. */
export class NotAcceptableError extends FoveaError {}

/** The request body's media type is not one we accept. */
export class UnsupportedMediaTypeError extends FoveaError {}

/** A request is well formed at the byte level but its parameters are invalid. */
export class BadRequestError extends FoveaError {}

/** The server is temporarily unable to serve (capacity, shutdown). */
export class UnavailableError extends FoveaError {}
