import { defineTest, nodesToInitialize } from "@mina-local/executive";
import { ONE_PRODUCER } from "./one-producer.js";

/** Runs until interrupted: used to check that SIGINT tears the whole run down. */
export default defineTest({
  name: "slow-test",
  description: "initializes, then waits for an hour so that the run can be interrupted",
  config: ONE_PRODUCER,
  async run(t) {
    await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    t.log.info("Initialized; waiting to be interrupted");
    await t.section("wait to be interrupted", () =>
      t.waitFor({ description: "an interruption", softTimeout: { ms: 3_600_000 }, hardTimeout: { ms: 3_600_000 }, start: () => () => ({ done: false, waitingFor: "SIGINT" }) }),
    );
  },
});
