import { makeMediumBootstrap } from "../../src/tests/medium-bootstrap.js";

export default makeMediumBootstrap({ broken: true });
