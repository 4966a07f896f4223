import { describe, expect, it } from "vitest";
import { MinaLocalError } from "./errors.js";
import { EngineOperationUnsupported } from "./intf.js";

describe("EngineOperationUnsupported", () => {
  it("is a MinaLocalError of kind unsupported naming the engine, the operation, the node and why", () => {
    const error = new EngineOperationUnsupported("multi-host", "run_replayer", "no archive node runs on a host it can exec on", { node: "archive-1", hint: "run the archive node on the first host" });
    expect(error).toBeInstanceOf(MinaLocalError);
    expect(error.kind).toBe("unsupported");
    expect(error.message).toBe("archive-1: the multi-host engine cannot run_replayer: no archive node runs on a host it can exec on");
    expect({ engine: error.engine, operation: error.operation, hint: error.hint }).toEqual({ engine: "multi-host", operation: "run_replayer", hint: "run the archive node on the first host" });
  });
});
