#!/usr/bin/node
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS that the image's node runs as is (no build step) */
/*
 * The entrypoint of mina-local's PostgreSQL image (Debian's postgresql server in a FROM scratch
 * image, for machines without postgres:16). It keeps the official postgres image's contract,
 * so that the compose file is the same for both: `docker-entrypoint.sh postgres`,
 * POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, and on an empty data directory the `*.sql`
 * files of /docker-entrypoint-initdb.d run once with `psql -v ON_ERROR_STOP=1` on a server
 * that does not listen on TCP yet (so a TCP health check passes only once they are done).
 * `*.sh` init scripts run with /bin/sh (Debian's dash: the image has no bash).
 * Plain JavaScript (no build step): it runs as is with the image's /usr/bin/node.
 */
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

// the image holds one version of Debian's PostgreSQL (image.ts): find its directory
const BIN = (() => {
  const root = "/usr/lib/postgresql";
  const version = fs.readdirSync(root).find((v) => fs.existsSync(`${root}/${v}/bin/postgres`));
  if (!version) throw new Error(`no PostgreSQL under ${root}`);
  return `${root}/${version}/bin`;
})();
const PGDATA = process.env.PGDATA || "/var/lib/postgresql/data";
const SOCKET_DIR = "/var/run/postgresql";
const INIT_DIR = "/docker-entrypoint-initdb.d";
const UID = 999;
const GID = 999;
const user = process.env.POSTGRES_USER || "postgres";
const database = process.env.POSTGRES_DB || user;
const password = process.env.POSTGRES_PASSWORD;

const say = (message) => process.stdout.write(`mina-local postgres entrypoint: ${message}\n`);
const fail = (message) => {
  process.stderr.write(`mina-local postgres entrypoint: error: ${message}\n`);
  process.exit(1);
};
const asPostgres = { uid: UID, gid: GID, env: { ...process.env, HOME: "/var/lib/postgresql", TZ: process.env.TZ || "UTC" } };

function run(command, args, what) {
  const result = spawnSync(`${BIN}/${command}`, args, { ...asPostgres, stdio: "inherit" });
  if (result.error) fail(`${what}: ${result.error.message}`);
  if (result.status !== 0) fail(`${what}: ${command} exited with ${result.status ?? result.signal}`);
}

function ownedDir(dir, mode) {
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, UID, GID);
  fs.chmodSync(dir, mode);
}

function initialize() {
  if (!password) fail("POSTGRES_PASSWORD is not set (the official image refuses to start without it too)");
  say(`initializing ${PGDATA} for user ${user}`);
  const pwfile = "/tmp/pgpass";
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  fs.chownSync(pwfile, UID, GID);
  run("initdb", ["-D", PGDATA, `--username=${user}`, `--pwfile=${pwfile}`, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C"], "initdb");
  fs.rmSync(pwfile);
  fs.appendFileSync(path.join(PGDATA, "pg_hba.conf"), "\nhost all all all scram-sha-256\n");

  // as the official image: a temporary server on the unix socket only, for the init scripts
  run("pg_ctl", ["-D", PGDATA, "-o", `-c listen_addresses='' -k ${SOCKET_DIR}`, "-w", "-t", "60", "start"], "starting the temporary server");
  const psql = (args) => spawnSync(`${BIN}/psql`, ["-v", "ON_ERROR_STOP=1", "--no-psqlrc", "--no-password", "-h", SOCKET_DIR, `--username=${user}`, ...args], { ...asPostgres, stdio: "inherit" });
  if (database !== "postgres") {
    const created = psql(["--dbname=postgres", "-c", `CREATE DATABASE "${database.replaceAll('"', '""')}"`]);
    if (created.status !== 0) fail(`creating database ${database} failed`);
  }
  const scripts = fs.existsSync(INIT_DIR) ? fs.readdirSync(INIT_DIR).sort() : [];
  for (const name of scripts) {
    const file = path.join(INIT_DIR, name);
    if (name.endsWith(".sql")) {
      say(`running ${file}`);
      const result = psql([`--dbname=${database}`, "-f", file]);
      if (result.status !== 0) fail(`${file} failed (psql exited with ${result.status}); the database is left half-initialized`);
    } else if (name.endsWith(".sh")) {
      say(`running ${file} with /bin/sh`);
      const result = spawnSync("/bin/sh", [file], { ...asPostgres, stdio: "inherit" });
      if (result.status !== 0) fail(`${file} failed (exit ${result.status ?? result.signal})`);
    } else {
      say(`ignoring ${file}`);
    }
  }
  run("pg_ctl", ["-D", PGDATA, "-m", "fast", "-w", "-t", "60", "stop"], "stopping the temporary server");
  say("PostgreSQL init process complete; ready for start up.");
}

const [command, ...args] = process.argv.slice(2);
if (command !== "postgres") {
  // any other command runs as given (e.g. `pg_dump ...`), as the official image allows
  const result = spawnSync(command ?? "postgres", args, { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
ownedDir(SOCKET_DIR, 0o2775);
ownedDir(PGDATA, 0o700);
if (!fs.existsSync(path.join(PGDATA, "PG_VERSION"))) initialize();
const server = spawn(`${BIN}/postgres`, ["-D", PGDATA, "-c", "listen_addresses=*", "-k", SOCKET_DIR, ...args], { ...asPostgres, stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT", "SIGQUIT"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
