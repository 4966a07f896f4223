import { describe, expect, it } from "vitest";
import { parseCidr, pickFreeSubnet } from "./subnet.js";

describe("the run network's subnet", () => {
  it("picks a /24 of 10.128.0.0/9 that overlaps no network's subnet", () => {
    expect(pickFreeSubnet([])).toBe("10.128.0.0/24");
    expect(pickFreeSubnet(["10.128.0.0/24", "10.128.1.0/25"])).toBe("10.128.2.0/24");
    expect(pickFreeSubnet(["10.128.0.0/16"])).toBe("10.129.0.0/24");
    expect(pickFreeSubnet(["10.0.0.0/8"])).toBeUndefined();
    expect(pickFreeSubnet([], 2 ** 15 - 1)).toBe("10.255.255.0/24");
    expect(pickFreeSubnet(["10.255.255.0/24"], 2 ** 15 - 1)).toBe("10.128.0.0/24");
  });

  it("reads CIDRs and ignores what is not one", () => {
    expect(parseCidr("10.0.1.7/24")).toEqual({ start: 167772416, end: 167772671 });
    expect(parseCidr("fd00::/64")).toBeUndefined();
  });
});
