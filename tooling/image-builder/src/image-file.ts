/** One entry of an image's root file system: a host file, inline content, or (path ending in "/") a directory. */
export interface ImageFile {
  /** absolute path inside the image */
  path: string;
  /** host file to copy */
  source?: string;
  content?: string | Buffer;
  mode?: number;
}
