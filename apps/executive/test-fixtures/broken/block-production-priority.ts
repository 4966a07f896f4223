import { makeBlockProductionPriority } from "../../src/tests/block-production-priority.js";

/** block-production-priority expecting one payment more than was sent: must fail in its inclusion check. */
export default makeBlockProductionPriority({ broken: true });
