import { makePeersReliability } from "../../src/tests/peers-reliability.js";

export default makePeersReliability({ broken: true });
