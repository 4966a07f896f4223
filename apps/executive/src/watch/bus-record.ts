import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/**
 * `<run-dir>/bus.json`: where a live run's bus is, for `test_executive watch` (and any NATS
 * client). Written once nats-server is up, removed when it stops: its presence means "live".
 */
export const BUS_FILE = "bus.json";

export const BusRecordSchema = z.object({ url: z.string().min(1), runId: z.string().min(1), natsPid: z.number().int().positive().optional() });
export type BusRecord = z.infer<typeof BusRecordSchema>;

export function writeBusRecord(runDir: string, record: BusRecord): void {
  writeFileSync(join(runDir, BUS_FILE), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

export function removeBusRecord(runDir: string): void {
  rmSync(join(runDir, BUS_FILE), { force: true });
}

/** The run's bus record, undefined when the run is not live (no file); throws on a corrupt one. */
export function readBusRecord(runDir: string): BusRecord | undefined {
  const file = join(runDir, BUS_FILE);
  if (!existsSync(file)) return undefined;
  return BusRecordSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
