/** Cleanup steps run last-in first-out (each bounds its own wait), all attempted even when one fails. */
export class Teardown {
  private readonly steps: { name: string; run: () => Promise<unknown>; removes: boolean }[] = [];
  private running: Promise<string[]> | undefined;
  private leftBehind = false;

  /** `removes`: the step removes something outside this process (a stack, a server, files) */
  add(name: string, run: () => Promise<unknown>, options: { removes?: boolean } = {}): void {
    this.steps.push({ name, run, removes: options.removes ?? false });
  }

  /** a step that removes something failed, so something of the run may be left for a later sweep */
  get leftSomethingBehind(): boolean {
    return this.leftBehind;
  }

  /** teardown has begun (it runs once) */
  get done(): boolean {
    return this.running !== undefined;
  }

  /**
   * Runs the steps once. A second call (SIGINT during teardown) gets the same promise, so
   * no caller goes on before every step has been attempted.
   */
  run(onStep?: (name: string) => void): Promise<string[]> {
    this.running ??= this.runSteps(onStep);
    return this.running;
  }

  private async runSteps(onStep?: (name: string) => void): Promise<string[]> {
    const failures: string[] = [];
    for (const step of [...this.steps].reverse()) {
      onStep?.(step.name);
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        if (step.removes) this.leftBehind = true;
      }
    }
    return failures;
  }
}
