/**
 * The flags `mina-archive run` accepts, from Mina's sources at commit
 * 9f068b1c3bdb328184c0c9af22a8a941d181304b (develop 2023-09-12):
 * src/app/archive/cli/archive_cli.ml (`command_run`) and src/lib/cli_lib/flag.ml
 * (`Flag.Log.json`, `Flag.Log.level`, `Flag.Port.Archive.server`, `Flag.Uri.Archive.postgres`).
 * Each flag is declared as `--name` with the alias `name`, which Jane Street's Command
 * accepts as `-name`: both spellings are listed. `value` flags take one argument, `switch`
 * flags none (`no_arg`).
 */
export type ArchiveFlagKind = "value" | "switch";

export interface ArchiveFlag {
  kind: ArchiveFlagKind;
  /** where the flag is declared in Mina's sources */
  declaredIn: string;
}

const RUN_FLAGS: Record<string, ArchiveFlag> = {
  "log-json": { kind: "switch", declaredIn: "cli_lib/flag.ml Log.json" },
  "log-level": { kind: "value", declaredIn: "cli_lib/flag.ml Log.level" },
  "server-port": { kind: "value", declaredIn: "cli_lib/flag.ml Port.Archive.server (default 3086)" },
  "metrics-port": { kind: "value", declaredIn: "archive/cli/archive_cli.ml command_run" },
  "missing-blocks-width": { kind: "value", declaredIn: "archive/cli/archive_cli.ml command_run" },
  "postgres-uri": { kind: "value", declaredIn: "cli_lib/flag.ml Uri.Archive.postgres" },
  "config-file": { kind: "value", declaredIn: "archive/cli/archive_cli.ml command_run" },
  "delete-older-than": { kind: "value", declaredIn: "archive/cli/archive_cli.ml command_run" },
};

export const ARCHIVE_CLI_CONTRACT = {
  commit: "9f068b1c3bdb328184c0c9af22a8a941d181304b",
  subcommands: { "mina-archive run": RUN_FLAGS },
} as const;

/**
 * Every problem with a generated `mina-archive run ...` command line against the table: an
 * unknown flag, a flag without its value, a flag given twice. Empty when it is one Mina accepts.
 */
export function checkArchiveCommand(argv: readonly string[]): string[] {
  const problems: string[] = [];
  if (argv[0] !== "mina-archive" || argv[1] !== "run") return [`expected "mina-archive run ...", got "${argv.slice(0, 2).join(" ")}"`];
  const seen = new Set<string>();
  for (let i = 2; i < argv.length; i++) {
    const token = argv[i] ?? "";
    const name = /^--?([a-z][a-z0-9-]*)$/.exec(token)?.[1];
    const flag = name === undefined ? undefined : RUN_FLAGS[name];
    if (name === undefined || flag === undefined) {
      problems.push(`${token}: not a flag of mina-archive run (Mina ${ARCHIVE_CLI_CONTRACT.commit.slice(0, 10)})`);
      continue;
    }
    if (seen.has(name)) problems.push(`${token}: given twice`);
    seen.add(name);
    if (flag.kind === "value") {
      const value = argv[i + 1];
      if (value === undefined || /^--?[a-z]/.test(value)) problems.push(`${token}: needs a value`);
      else i++;
    }
  }
  return problems;
}
