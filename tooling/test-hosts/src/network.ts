import fs from "node:fs";
import { run, tryRun } from "./shell.js";
import type { TestHostPlan, TestHostsPlan } from "./plan.js";

const ip = (...args: string[]) => run("ip", args, { what: "setting up the test hosts' network" });

/** The switch namespace with its bridge, and the machine's link to it (`.1`). */
export async function createSwitch(plan: TestHostsPlan): Promise<void> {
  const sw = plan.switchNetns;
  await ip("netns", "add", sw);
  await ip("-n", sw, "link", "set", "lo", "up");
  await ip("-n", sw, "link", "add", "br0", "type", "bridge");
  await ip("-n", sw, "link", "set", "br0", "up");
  const peer = `${plan.machineLink}s`;
  await ip("link", "add", plan.machineLink, "type", "veth", "peer", "name", peer);
  await ip("link", "set", peer, "netns", sw);
  await ip("-n", sw, "link", "set", peer, "master", "br0", "up");
  await ip("addr", "add", `${plan.machineAddress}/${plan.prefixLength}`, "dev", plan.machineLink);
  await ip("link", "set", plan.machineLink, "up");
}

/** One host's namespace, linked to the switch, its end renamed eth0 with the host's address. */
export async function createHostNetwork(plan: TestHostsPlan, host: TestHostPlan): Promise<void> {
  const sw = plan.switchNetns;
  const hostEnd = `${host.netns}e`;
  await ip("netns", "add", host.netns);
  await ip("-n", host.netns, "link", "set", "lo", "up");
  await ip("-n", sw, "link", "add", host.switchLink, "type", "veth", "peer", "name", hostEnd);
  await ip("-n", sw, "link", "set", hostEnd, "netns", host.netns);
  await ip("-n", sw, "link", "set", host.switchLink, "master", "br0", "up");
  await ip("-n", host.netns, "link", "set", hostEnd, "name", "eth0");
  await ip("-n", host.netns, "addr", "add", `${host.address}/${plan.prefixLength}`, "dev", "eth0");
  await ip("-n", host.netns, "link", "set", "eth0", "up");
  await ip("-n", host.netns, "route", "add", "default", "via", plan.machineAddress);
}

export function netnsExists(name: string): boolean {
  return fs.existsSync(`/run/netns/${name}`);
}

/** Deleting a namespace deletes the veth ends in it and so their peers. Returns the failures. */
export async function deleteNetworks(plan: TestHostsPlan): Promise<string[]> {
  const failures: string[] = [];
  for (const ns of [...plan.hosts.map((h) => h.netns), plan.switchNetns]) {
    if (!netnsExists(ns)) continue;
    const failure = await tryRun("ip", ["netns", "del", ns]);
    if (failure) failures.push(failure);
  }
  // the machine's end goes with the switch namespace; if that was never made, remove it alone
  if (await linkExists(plan.machineLink)) {
    const failure = await tryRun("ip", ["link", "del", plan.machineLink]);
    if (failure) failures.push(failure);
  }
  return failures;
}

export async function linkExists(name: string): Promise<boolean> {
  const { stdout } = await run("ip", ["-o", "link", "show"], { kind: "teardown" });
  return stdout.split("\n").some((line) => line.split(":")[1]?.trim().split("@")[0] === name);
}
