import { describe, expect, it } from "vitest";
import { dockerdArgs, planTestHosts } from "./plan.js";

describe("planTestHosts", () => {
  it("derives every name, address and path from the name and the subnet", () => {
    const plan = planTestHosts({ name: "t1", count: 3, subnet: 7 });
    expect(plan.machineAddress).toBe("198.18.7.1");
    expect(plan.hosts.map((h) => [h.host, h.address, h.netns, h.manager])).toEqual([
      ["host-1", "198.18.7.11", "t1-h1", true],
      ["host-2", "198.18.7.12", "t1-h2", false],
      ["host-3", "198.18.7.13", "t1-h3", false],
    ]);
    expect(plan.hosts[1]?.socket).toBe("/var/lib/mina-local-test-hosts/t1/host-2/docker.sock");
    expect(plan.hosts[1]?.execRoot).toBe("/run/mina-local-test-hosts/t1/h2");
  });

  it("keeps every interface name within Linux's 15 characters", () => {
    const plan = planTestHosts({ name: "abcd", count: 9 });
    const names = [plan.switchNetns, plan.machineLink, `${plan.machineLink}s`, ...plan.hosts.flatMap((h) => [h.switchLink, `${h.netns}e`])];
    for (const name of names) expect(name.length).toBeLessThanOrEqual(15);
    expect(new Set(names).size).toBe(names.length);
  });

  it("refuses names that would not fit, counts and subnets out of range, naming the option", () => {
    expect(() => planTestHosts({ name: "toolong" })).toThrow(/--name: .*1 to 4/);
    expect(() => planTestHosts({ name: "Up" })).toThrow(/lowercase/);
    expect(() => planTestHosts({ count: 0 })).toThrow(/--count/);
    expect(() => planTestHosts({ subnet: 256 })).toThrow(/--subnet/);
  });

  it("gives each host's dockerd its own data root, exec-root, pidfile and socket", () => {
    const [a, b] = planTestHosts({ count: 2 }).hosts.map(dockerdArgs);
    for (const flag of ["--data-root", "--exec-root", "--pidfile", "--host"]) {
      const value = (args: string[] | undefined) => args?.[args.indexOf(flag) + 1];
      expect(value(a)).toBeDefined();
      expect(value(a)).not.toBe(value(b));
    }
  });
});
