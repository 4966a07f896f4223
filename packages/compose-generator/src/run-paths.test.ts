import { describe, expect, it } from "vitest";
import { overlongSocketPaths, runPaths, UNIX_SOCKET_PATH_MAX_BYTES } from "./run-paths.js";

describe("overlongSocketPaths", () => {
  it("names the nodes whose forwarder socket path is past sun_path's 107 bytes, with the path's length", () => {
    // "<dir>/shared/sockets/<node>.sock": pick a directory so that a 5-byte name lands exactly on the limit
    const suffix = "/shared/sockets/node1.sock".length;
    const dir = `/${"d".repeat(UNIX_SOCKET_PATH_MAX_BYTES - suffix - 1)}`;
    const paths = runPaths(dir);
    expect(Buffer.byteLength(paths.socketOf("node1"))).toBe(UNIX_SOCKET_PATH_MAX_BYTES);
    expect(overlongSocketPaths(paths, ["node1", "bp"])).toEqual([]);
    expect(overlongSocketPaths(paths, ["node1", "node-12"])).toEqual([{ node: "node-12", path: paths.socketOf("node-12"), bytes: UNIX_SOCKET_PATH_MAX_BYTES + 2 }]);
  });

  it("counts bytes, not characters", () => {
    // 71 characters, 116 bytes
    const paths = runPaths(`/${"é".repeat(45)}`);
    expect(paths.socketOf("node").length).toBeLessThan(UNIX_SOCKET_PATH_MAX_BYTES);
    expect(overlongSocketPaths(paths, ["node"]).map((s) => s.bytes)).toEqual([Buffer.byteLength(paths.socketOf("node"))]);
  });
});
