import { makeSnark } from "../../src/tests/snark.js";

/** snark expecting the coordinator to be paid one fee more than the best chain paid: must fail in its fee check. */
export default makeSnark({ broken: true });
