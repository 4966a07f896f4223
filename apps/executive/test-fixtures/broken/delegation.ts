import { makeDelegation } from "../../src/tests/delegation.js";

/** delegation expecting the delegate's stake to count one epoch after the delegation's (Mina: two at the earliest): must fail in its stake check. */
export default makeDelegation({ broken: true });
