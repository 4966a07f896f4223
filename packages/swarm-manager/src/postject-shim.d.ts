// The Docker tests import @mina-local/log-forwarder (bundleForwarder), whose build.ts imports
// "postject" (no types). Its own declaration (log-forwarder/src/postject.d.ts) is not part of
// this program, so typechecking here needs the same declaration. Drop this once the
// log-forwarder references its declaration from build.ts.
declare module "postject" {
  export function inject(filename: string, resourceName: string, resourceData: Buffer, options?: { sentinelFuse?: string; machoSegmentName?: string; overwrite?: boolean }): Promise<void>;
}
