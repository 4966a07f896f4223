/**
 * The contract with Mina's command line: for each subcommand mina-local generates, the flags
 * Mina's CLI accepts and what each takes, read from Mina's sources (Jane Street Command:
 * every flag is `--name` with the alias `-name`; `no_arg` takes nothing, `optional`/`required`
 * one value, `listed` repeats, `bool` takes true|false).
 *
 * Sources, MinaProtocol/mina develop at 9f068b1c3bdb328184c0c9af22a8a941d181304b (2023-09-12):
 * - `mina daemon`: src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml (setup_daemon) and the
 *   shared flags of src/lib/cli_lib/flag.ml (conf_dir, Port.Daemon.*, Host_and_port.Daemon.archive, Log.*)
 * - `mina internal snark-worker`: src/lib/snark_worker/functor.ml (command_from_rpcs)
 * - `mina accounts import`: src/app/cli/src/init/client.ml (import_key)
 * - `mina libp2p generate-keypair`: src/app/cli/src/init/client.ml (generate_libp2p_keypair)
 * - `mina-archive run`: left for the archive work of issue 15 (src/app/archive/cli/archive_cli.ml)
 *
 * `--start-filtered-logs` is not in the 9f068b1c3b daemon: newer daemons take it (Mina's local
 * engine passes it: src/lib/testing/integration_test_local_engine/docker_node_config.ml at
 * MinaProtocol/mina 331fcde0cd). It is listed with that source in `since`.
 */

export type MinaFlagKind = "no_arg" | "value" | "required" | "listed" | "bool";

export interface MinaFlag {
  kind: MinaFlagKind;
  /** where the flag comes from when it is not in the 9f068b1c3b sources */
  since?: string;
}

export interface MinaSubcommand {
  /** the words before the flags, e.g. ["mina", "internal", "snark-worker"] */
  words: readonly string[];
  source: string;
  flags: Readonly<Record<string, MinaFlag>>;
}

export const MINA_CLI_COMMIT = "9f068b1c3bdb328184c0c9af22a8a941d181304b";

const v = (kind: MinaFlagKind, since?: string): MinaFlag => (since ? { kind, since } : { kind });

const DAEMON_FLAGS: Record<string, MinaFlag> = {
  // src/lib/cli_lib/flag.ml
  "config-directory": v("value"),
  "external-port": v("value"),
  "client-port": v("value"),
  "rest-port": v("value"),
  "limited-graphql-port": v("value"),
  "archive-address": v("value"),
  "log-json": v("no_arg"),
  "log-level": v("value"),
  "file-log-level": v("value"),
  "file-log-rotations": v("value"),
  // mina_cli_entrypoint.ml, setup_daemon
  "block-producer-key": v("value"),
  "block-producer-pubkey": v("value"),
  "block-producer-password": v("value"),
  "itn-keys": v("value"),
  "itn-max-logs": v("value"),
  "demo-mode": v("no_arg"),
  "coinbase-receiver": v("value"),
  "genesis-ledger-dir": v("value"),
  "run-snark-worker": v("value"),
  "run-snark-coordinator": v("value"),
  "snark-worker-parallelism": v("value"),
  "work-selection": v("value"),
  "itn-graphql-port": v("value"),
  "open-limited-graphql-port": v("no_arg"),
  "metrics-port": v("value"),
  "gc-stat-interval": v("value"),
  "libp2p-metrics-port": v("value"),
  "external-ip": v("value"),
  "bind-ip": v("value"),
  "working-dir": v("value"),
  background: v("no_arg"),
  "archive-rocksdb": v("no_arg"),
  "snark-worker-fee": v("value"),
  "work-reassignment-wait": v("value"),
  tracing: v("no_arg"),
  "internal-tracing": v("no_arg"),
  "insecure-rest-server": v("no_arg"),
  "limit-concurrent-connections": v("bool"),
  "log-snark-work-gossip": v("bool"),
  "log-txn-pool-gossip": v("bool"),
  "log-block-creation": v("bool"),
  "libp2p-keypair": v("required"),
  seed: v("no_arg"),
  "no-super-catchup": v("no_arg"),
  "enable-flooding": v("bool"),
  "enable-peer-exchange": v("bool"),
  "peer-protection-rate": v("value"),
  "min-connections": v("value"),
  "max-connections": v("value"),
  "validation-queue-size": v("value"),
  "direct-peer": v("listed"),
  "isolate-network": v("bool"),
  peer: v("listed"),
  "peer-list-file": v("value"),
  "peer-list-url": v("value"),
  "current-protocol-version": v("value"),
  "proposed-protocol-version": v("value"),
  "config-file": v("listed"),
  "generate-genesis-proof": v("bool"),
  "disable-node-status": v("no_arg"),
  "proof-level": v("value"),
  "precomputed-blocks-file": v("value"),
  "log-precomputed-blocks": v("bool"),
  "minimum-block-reward": v("value"),
  "stop-time": v("value"),
  "upload-blocks-to-gcloud": v("bool"),
  "all-peers-seen-metric": v("bool"),
  "node-status-url": v("value"),
  "node-error-url": v("value"),
  "contact-info": v("value"),
  "uptime-url": v("value"),
  "uptime-submitter-key": v("value"),
  "uptime-submitter-pubkey": v("value"),
  "uptime-send-node-commit-sha": v("no_arg"),
  "start-filtered-logs": v("listed", "MinaProtocol/mina 331fcde0cd, integration_test_local_engine/docker_node_config.ml passes it to `mina daemon`"),
};

export const MINA_CLI: Readonly<Record<"daemon" | "snark-worker" | "accounts-import" | "libp2p-generate-keypair" | "archive-run", MinaSubcommand>> = {
  daemon: { words: ["mina", "daemon"], source: "src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml, src/lib/cli_lib/flag.ml", flags: DAEMON_FLAGS },
  "snark-worker": {
    words: ["mina", "internal", "snark-worker"],
    source: "src/lib/snark_worker/functor.ml (command_from_rpcs)",
    flags: { "daemon-address": v("required"), "proof-level": v("value"), "shutdown-on-disconnect": v("bool"), "config-directory": v("value") },
  },
  "accounts-import": {
    words: ["mina", "accounts", "import"],
    source: "src/app/cli/src/init/client.ml (import_key)",
    flags: { "privkey-path": v("required"), "config-directory": v("value"), "rest-server": v("value") },
  },
  "libp2p-generate-keypair": {
    words: ["mina", "libp2p", "generate-keypair"],
    source: "src/app/cli/src/init/client.ml (generate_libp2p_keypair)",
    flags: { "privkey-path": v("required") },
  },
  // filled by the archive work of issue 15 (mina-archive's own CLI)
  "archive-run": { words: ["mina-archive", "run"], source: "src/app/archive/cli/archive_cli.ml (to be read)", flags: {} },
};

/**
 * Every way a generated command line breaks Mina's CLI: an unknown subcommand or flag, a
 * missing value, a bool that is not true|false, a flag given twice that is not listed, a
 * required flag missing. Empty when Mina would accept it.
 */
export function minaCliProblems(argv: readonly string[]): string[] {
  const command = Object.values(MINA_CLI).find((c) => c.words.every((word, i) => argv[i] === word));
  if (!command)
    return [
      `\`${argv.slice(0, 3).join(" ")}\` is none of the subcommands in the table (${Object.values(MINA_CLI)
        .map((c) => c.words.join(" "))
        .join("; ")})`,
    ];
  const name = command.words.join(" ");
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const rest = argv.slice(command.words.length);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    const match = /^--?([a-z0-9][a-z0-9-]*)$/.exec(arg);
    if (!match) {
      problems.push(`${name}: "${arg}" is not a flag (Mina's subcommands take no anonymous arguments)`);
      continue;
    }
    const flagName = match[1] ?? "";
    const flag = command.flags[flagName];
    if (!flag) {
      problems.push(`${name}: unknown flag -${flagName}`);
      continue;
    }
    seen.set(flagName, (seen.get(flagName) ?? 0) + 1);
    if (flag.kind !== "listed" && (seen.get(flagName) ?? 0) > 1) problems.push(`${name}: flag -${flagName} passed more than once`);
    if (flag.kind === "no_arg") continue;
    const value = rest[i + 1];
    if (value === undefined) {
      problems.push(`${name}: missing argument for flag -${flagName}`);
      continue;
    }
    i++;
    if (flag.kind === "bool" && value !== "true" && value !== "false") problems.push(`${name}: flag -${flagName} takes true or false, not "${value}"`);
  }
  for (const [flagName, flag] of Object.entries(command.flags)) {
    if (flag.kind === "required" && !seen.has(flagName)) problems.push(`${name}: missing required flag -${flagName}`);
  }
  return problems;
}

/** The flags of a command line that only newer daemons than 9f068b1c3b take (with their source). */
export function flagsBeyondBaseCommit(argv: readonly string[]): string[] {
  const command = Object.values(MINA_CLI).find((c) => c.words.every((word, i) => argv[i] === word));
  if (!command) return [];
  return [
    ...new Set(
      argv.flatMap((arg) => {
        const flagName = /^--?([a-z0-9][a-z0-9-]*)$/.exec(arg)?.[1];
        return flagName && command.flags[flagName]?.since ? [flagName] : [];
      }),
    ),
  ];
}
