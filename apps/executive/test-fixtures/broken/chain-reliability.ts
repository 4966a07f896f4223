import { makeChainReliability } from "../../src/tests/chain-reliability.js";

export default makeChainReliability({ broken: true });
