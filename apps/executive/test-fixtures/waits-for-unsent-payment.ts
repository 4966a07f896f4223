import { defineTest, nodesToInitialize, signedCommandToBeIncluded } from "@mina-local/executive";
import { ONE_PRODUCER } from "./one-producer.js";

/** Deliberately broken: waits for a payment that was never sent, so it must fail with a hard error. */
export default defineTest({
  name: "waits-for-unsent-payment",
  description: "broken on purpose: waits for the inclusion of a payment nobody sent",
  config: ONE_PRODUCER,
  async run(t) {
    await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    await t.sectionHard("wait for a payment that was never sent", () => t.waitFor(signedCommandToBeIncluded("5JuNeverSentPaymentHash", "the unsent payment")));
    await t.section("never reached", async () => undefined);
  },
});
