// Public API of frames/: access to stored frames shared by every reader of pixels — the one
// byte-bounded LRU of prepared frame models (JPIP service and renderer), the codestream byte-range
// reader, the JPIP target id of an instance, and the stored-frame renderer glue (instance choice,
// data set load, render/ call) behind the rendered, thumbnail and WADO-URI image resources.
export { codestreamReader } from './codestream-reader';
export {
  DEFAULT_FRAME_CACHE_BYTES,
  FrameModelCache,
  type FrameModelCacheOptions,
  type LoadedFrame,
} from './frame-model-cache';
export { FrameRenderer, type RenderDeps, type RenderScope } from './stored-frame-renderer';
export { targetId } from './target-id';
