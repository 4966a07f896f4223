import { defineTest, nodesToInitialize } from "@mina-local/executive";
import { ONE_PRODUCER } from "./one-producer.js";

/**
 * A test whose stray timer throws outside every section: nothing in the DSL can catch
 * it, so the executive process meets an uncaught exception, and must still tear down.
 */
export default defineTest({
  name: "crashes",
  description: "initializes, then a timer of the test throws outside every section",
  config: ONE_PRODUCER,
  async run(t) {
    await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    setTimeout(() => {
      throw new Error("a stray timer's exception");
    }, 200);
    await t.section("wait for a while", () =>
      t.waitFor({ description: "nothing", softTimeout: { ms: 600_000 }, hardTimeout: { ms: 600_000 }, start: () => () => ({ done: false, waitingFor: "nothing" }) }),
    );
  },
});
