/** Cleanup steps run last-in first-out (each bounds its own wait), all attempted even when one fails. */
export class Teardown {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<string[]> | undefined;

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
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
      }
    }
    return failures;
  }
}
