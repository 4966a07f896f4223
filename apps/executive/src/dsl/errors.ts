/** A failure of the test itself (not of the engine): it names its node when it has one. */
export class TestFailure extends Error {
  constructor(
    message: string,
    readonly severity: "soft" | "hard" = "hard",
    readonly node?: string,
  ) {
    super(message);
    this.name = "TestFailure";
  }
}

/** The run was interrupted (SIGINT, SIGTERM) or aborted because a node crashed. */
export class TestAborted extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TestAborted";
  }
}
