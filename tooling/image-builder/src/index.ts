export type { ImageFile } from "./image-file.js";
export { buildScratchImage, dockerForImages, imageExists, type BuildScratchImageOptions } from "./build.js";
export { nodeRuntimeFiles, parseLddOutput, IMAGE_NODE_PATH } from "./node-runtime.js";
export { dockerfileFor, type ImageSpec } from "./build-context.js";
export { removeOlderTags } from "./prune.js";
export { buildScratchImageOnce } from "./once.js";
