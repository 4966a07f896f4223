import { defineTest, nodeToInitializeAfterBootstraps, nodesToInitialize } from "@mina-local/executive";
import { ONE_PRODUCER } from "./one-producer.js";

/** Initializes, then stops and starts the producer: what a node logs while it is asked to stop is not one of its errors. */
export default defineTest({
  name: "restarts-a-node",
  description: "initializes, then restarts the block producer and waits for it to initialize again",
  config: ONE_PRODUCER,
  async run(t) {
    await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    await t.sectionHard("restart bp", async () => {
      const bp = t.network.node("bp");
      // counted from before the stop: the bus may not have brought Node_stopped yet when start() returns
      const since = t.state();
      await bp.stop();
      await bp.start();
      await t.waitFor(nodeToInitializeAfterBootstraps(bp.name, 0, { since }));
    });
  },
});
