import { makeZkappsNonce } from "../../src/tests/zkapps-nonce.js";

/** zkapps-nonce expecting the first command's nonce precondition to pass: must fail in that wait (section_hard). */
export default makeZkappsNonce({ broken: true });
