import { makeGossipConsistency } from "../../src/tests/gossip-consistency.js";

/** gossip-consistency also expecting a payment that was never sent: must fail in its coverage check. */
export default makeGossipConsistency({ broken: true });
