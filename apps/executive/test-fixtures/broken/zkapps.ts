import { makeZkapps } from "../../src/tests/zkapps.js";

/** zkapps checking the ledger against an update with another voting-for: must fail in "Verify zkApp transaction updates in ledger" (section_hard). */
export default makeZkapps({ broken: true });
