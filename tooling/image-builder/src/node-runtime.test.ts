import { describe, expect, it } from "vitest";
import { nodeRuntimeFiles, parseLddOutput } from "./node-runtime.js";
import { dockerfileFor } from "./build-context.js";

describe("parseLddOutput", () => {
  it("keeps every library with a file and the loader, drops the vdso", () => {
    const output = [
      "\tlinux-vdso.so.1 (0x00007ffd)",
      "\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f66)",
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f67)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f68)",
    ].join("\n");
    expect(parseLddOutput(output)).toEqual(["/lib/x86_64-linux-gnu/libdl.so.2", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"]);
  });
});

describe("nodeRuntimeFiles", () => {
  it("lists this machine's node binary at /usr/bin/node with libc and the loader", async () => {
    const files = await nodeRuntimeFiles();
    const paths = files.map((f) => f.path);
    expect(paths).toContain("/usr/bin/node");
    expect(paths.some((p) => /libc\.so/.test(p))).toBe(true);
    expect(paths.some((p) => /ld-linux/.test(p))).toBe(true);
    expect(files.find((f) => f.path === "/tmp/")?.mode).toBe(0o1777);
  });
});

describe("dockerfileFor", () => {
  it("is FROM scratch and copies the assembled root file system", () => {
    const text = dockerfileFor({ entrypoint: ["/a", "b c"], env: { A: "x y" }, labels: { "mina-local.image": "sim" } });
    expect(text.split("\n").slice(0, 2)).toEqual(["FROM scratch", "COPY rootfs/ /"]);
    expect(text).toContain('ENTRYPOINT ["/a","b c"]');
    expect(text).toContain('ENV A="x y"');
    expect(text).toContain('LABEL "mina-local.image"="sim"');
  });
});
