import { describe, expect, it } from "vitest";
import { Teardown } from "./teardown.js";

describe("Teardown", () => {
  it("runs its steps last-in first-out, each once, telling which step runs", async () => {
    const teardown = new Teardown();
    const ran: string[] = [];
    teardown.add("stop nats-server", async () => void ran.push("nats"));
    teardown.add("remove the stack", async () => void ran.push("stack"));
    teardown.add("drain the logs", async () => void ran.push("drain"));
    const announced: string[] = [];
    expect(teardown.done).toBe(false);
    expect(await teardown.run((name) => announced.push(name))).toEqual([]);
    expect(ran).toEqual(["drain", "stack", "nats"]);
    expect(announced).toEqual(["drain the logs", "remove the stack", "stop nats-server"]);
    expect(teardown.done).toBe(true);
  });

  it("attempts every step when some fail, and lists each failure with its step", async () => {
    const teardown = new Teardown();
    const ran: string[] = [];
    teardown.add("remove the FIFO", async () => void ran.push("fifo"));
    teardown.add("remove the stack", async () => {
      ran.push("stack");
      throw new Error("docker stack rm timed out");
    });
    teardown.add("drain the logs", () => {
      ran.push("drain");
      // a step that throws before returning a promise is caught as well
      throw new Error("bus closed");
    });
    teardown.add("odd", async () => {
      ran.push("odd");
      throw "a string";
    });
    const failures = await teardown.run();
    expect(ran).toEqual(["odd", "drain", "stack", "fifo"]);
    expect(failures).toEqual(["odd: a string", "drain the logs: bus closed", "remove the stack: docker stack rm timed out"]);
  });

  it("says whether something may be left behind: only a failed step that removes something counts", async () => {
    const onlyLocal = new Teardown();
    onlyLocal.add("remove the stack", async () => undefined, { removes: true });
    onlyLocal.add("drain the logs", async () => {
      throw new Error("the bus is gone");
    });
    expect(await onlyLocal.run()).toEqual(["drain the logs: the bus is gone"]);
    expect(onlyLocal.leftSomethingBehind).toBe(false);

    const removal = new Teardown();
    removal.add(
      "remove the stack",
      async () => {
        throw new Error("docker stack rm timed out");
      },
      { removes: true },
    );
    removal.add("drain the logs", async () => undefined);
    await removal.run();
    expect(removal.leftSomethingBehind).toBe(true);
  });

  it("is idempotent: a second run does not repeat the steps", async () => {
    const teardown = new Teardown();
    let count = 0;
    teardown.add("count", async () => void count++);
    await teardown.run();
    await teardown.run();
    expect(count).toBe(1);
  });

  it("lets a second caller (SIGINT during teardown) wait for the first run to finish", async () => {
    const teardown = new Teardown();
    let release: () => void = () => {};
    let finished = false;
    teardown.add(
      "slow step",
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            finished = true;
            resolve();
          };
        }),
    );
    const first = teardown.run();
    const second = teardown.run();
    let secondSettled = false;
    void second.then(() => (secondSettled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondSettled).toBe(false);
    release();
    await second;
    expect(finished).toBe(true);
    expect(await first).toEqual(await second);
  });
});
