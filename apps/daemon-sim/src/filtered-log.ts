/**
 * Mina's in-memory capture of structured events for integration tests (mina_lib.ml and
 * logger/native/logger.ml, develop 9f068b1c3b): `startFilteredLog(filter)` starts recording,
 * once, every log line whose event id is in `filter`, whatever its level, as the JSON of the
 * whole line; `getFilteredLogEntries(offset)` returns the lines after the first `offset`.
 */
export class FilteredLog {
  private ids: ReadonlySet<string> | undefined;
  private readonly lines: string[] = [];

  /** false when capture had already started (Mina's "Already initialized"): the first filter stays */
  start(eventIds: readonly string[]): boolean {
    if (this.ids) return false;
    this.ids = new Set(eventIds);
    return true;
  }

  wants(eventId: string): boolean {
    return this.ids?.has(eventId) ?? false;
  }

  record(json: string): void {
    this.lines.push(json);
  }

  entries(offset: number): { logMessages: string[]; isCapturing: boolean } {
    return { logMessages: this.lines.slice(Math.max(0, offset)), isCapturing: this.ids !== undefined };
  }
}
