import { spawn } from "node:child_process";
import { Command, InvalidArgumentError } from "commander";
import { MinaLocalError } from "@mina-local/engine";
import { leftovers, startTestHosts, teardownTestHosts } from "./hosts.js";
import type { TestHosts } from "./hosts.js";
import { planTestHosts } from "./plan.js";
import type { PlanOptions } from "./plan.js";

const say = (line: string) => process.stderr.write(`test-hosts: ${line}\n`);

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("not an integer");
  return n;
}

interface CliOptions {
  name: string;
  count: number;
  subnet: number;
}

const planOptions = (o: CliOptions): PlanOptions => ({ name: o.name, count: o.count, subnet: o.subnet });

/** The environment a command run against the hosts gets. */
function hostsEnv(hosts: TestHosts): Record<string, string> {
  return {
    DOCKER_HOST: hosts.dockerHost,
    MINA_LOCAL_TEST_HOSTS: hosts.hosts.map((h) => `${h.host}=unix://${h.socket}`).join(","),
    MINA_LOCAL_TEST_HOSTS_MACHINE_ADDRESS: hosts.plan.machineAddress,
  };
}

function withPlanOptions(command: Command): Command {
  return command
    .option("--name <name>", "1 to 4 lowercase letters or digits naming the namespaces and links", "mlh")
    .option("--count <n>", "how many hosts", integer, 3)
    .option("--subnet <n>", "the hosts' network is 198.18.<n>.0/24", integer, 20);
}

const program = new Command("test-hosts").description(
  "Extra Docker engines on this machine, each in its own network namespace, in one swarm (host-1 manages it). Run under `flock /tmp/mina-local-docker.lock` when other Docker work shares the machine.",
);

withPlanOptions(program.command("up").description("bring the hosts up and leave them up (tear down with `down`)")).action(async (o: CliOptions) => {
  const hosts = await startTestHosts({ ...planOptions(o), onProgress: say });
  for (const [key, value] of Object.entries(hostsEnv(hosts))) process.stdout.write(`${key}=${value}\n`);
});

withPlanOptions(program.command("down").description("tear down everything of the hosts: swarm, engines, data roots, namespaces, links")).action(async (o: CliOptions) => {
  await teardownTestHosts(planTestHosts(planOptions(o)), say);
});

withPlanOptions(program.command("status").description("list what of the hosts exists (exit 1 if anything)")).action(async (o: CliOptions) => {
  const found = await leftovers(planTestHosts(planOptions(o)));
  for (const line of found) process.stdout.write(`${line}\n`);
  if (found.length > 0) process.exitCode = 1;
});

withPlanOptions(program.command("run").description("bring the hosts up, run a command with DOCKER_HOST set to the manager, tear down").argument("<command...>")).action(
  async (command: string[], o: CliOptions) => {
    const hosts = await startTestHosts({ ...planOptions(o), onProgress: say });
    let code = 1;
    try {
      const [file, ...args] = command as [string, ...string[]];
      code = await new Promise<number>((resolve) => {
        const child = spawn(file, args, { stdio: "inherit", env: { ...process.env, ...hostsEnv(hosts) } });
        child.once("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
        child.once("error", (error) => {
          say(`${file}: ${error.message}`);
          resolve(127);
        });
      });
    } finally {
      await hosts.teardown();
    }
    process.exitCode = code;
  },
);

try {
  await program.parseAsync();
} catch (error) {
  const hint = error instanceof MinaLocalError && error.hint ? `\n  hint: ${error.hint}` : "";
  process.stderr.write(`test-hosts: error: ${error instanceof Error ? error.message : String(error)}${hint}\n`);
  process.exitCode = error instanceof MinaLocalError && error.kind === "invalid-arguments" ? 2 : 1;
}
