import { makeDelegation } from "../../src/tests/delegation.js";

/** delegation expecting the delegate's stake to count in the delegation's own epoch: must fail in its stake check. */
export default makeDelegation({ broken: true });
