import { defineTest, nodesToInitialize } from "@mina-local/executive";
import { ONE_PRODUCER } from "./one-producer.js";

/** A test with a bug: a section throws. The run must fail in that section and tear down. */
export default defineTest({
  name: "throws",
  description: "initializes, then a section throws an exception of the test's own",
  config: ONE_PRODUCER,
  async run(t) {
    await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    await t.sectionHard("a section with a bug", () => {
      const accounts: Array<{ balance: string }> = [];
      // the bug: reading past the end of a list
      return Promise.resolve((accounts[3] as { balance: string }).balance);
    });
  },
});
