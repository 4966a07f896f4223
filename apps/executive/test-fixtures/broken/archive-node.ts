import { makeArchiveNode } from "../../src/tests/archive-node.js";

export default makeArchiveNode({ broken: true });
