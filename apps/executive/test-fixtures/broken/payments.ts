import { makePayments } from "../../src/tests/payments.js";

/** payments expecting snark-node-key2 to hold a coinbase more than the new snark work fee: must fail in its last balance check. */
export default makePayments({ broken: true });
