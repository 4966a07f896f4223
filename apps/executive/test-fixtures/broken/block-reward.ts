import { makeBlockReward } from "../../src/tests/block-reward.js";

/** block-reward expecting one coinbase too many: must fail in its balance check. */
export default makeBlockReward({ broken: true });
