import { makeSlotEnd } from "../../src/tests/slot-end.js";

/** slot-end expecting a block at or after slot_chain_end: must fail in its last section, "no blocks produced after slot_chain_end". */
export default makeSlotEnd({ broken: true });
