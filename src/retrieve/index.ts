// Public API of retrieve/: stored objects, frames and bulk data in a negotiated transfer syntax.
export { createRetrieveService, type RetrieveDeps } from './retrieve-service';
export type {
  RetrieveService,
  ObjectStream,
  FrameBytes,
  FrameOptions,
  InstanceOptions,
  TransferSyntaxChoice,
} from './types';
