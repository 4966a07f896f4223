import { makeGossipConsistency } from "../../src/tests/gossip-consistency.js";

/** gossip-consistency expecting two payments more than node-b sent to have been seen in gossip: must fail (soft errors) in that check. */
export default makeGossipConsistency({ broken: true });
