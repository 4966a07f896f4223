import { makeEpochLedger } from "../../src/tests/epoch-ledger.js";

/** epoch-ledger without the runtime config's epoch_data: no producer has stake, so "wait for 3 block to be produced" must fail. */
export default makeEpochLedger({ broken: true });
