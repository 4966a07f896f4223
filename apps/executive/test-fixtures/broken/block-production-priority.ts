import { makeBlockProductionPriority } from "../../src/tests/block-production-priority.js";

/** block-production-priority expecting a median of one command more than a block holds: must fail (soft errors) in "checked produced blocks". */
export default makeBlockProductionPriority({ broken: true });
