// A stand-in daemon for supervision tests: logs lines (stdout and stderr), serves HTTP on
// -rest-port, leaves a file in -config-directory, and on SIGTERM says goodbye in a last
// line without a newline. `-exit-after-ms N -exit-code C` makes it crash.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const stateDir = flag("-config-directory");
const port = Number(flag("-rest-port"));
const line = (level, message, extra = {}) =>
  JSON.stringify({ timestamp: "2026-11-26 12:00:00.000000Z", level, source: { module: "Fake", location: "" }, message, metadata: { pid: process.pid }, ...extra });

if (stateDir) {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, `started-${process.pid}`), "");
}
process.stdout.write(`${line("Debug", "a debug line")}\n`);
process.stdout.write(`${line("Info", "an info line")}\n`);
process.stdout.write(`${line("Debug", "Starting transition frontier controller phase", { event_id: "0123456789abcdef" })}\n`);
process.stdout.write("plain text, not JSON\n");
process.stderr.write("a line on stderr\n");

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ data: { pid: process.pid, path: req.url, method: req.method } }));
  });
});
server.listen(port, "127.0.0.1", () => process.stdout.write(`${line("Info", "graphql listening")}\n`));

const exitAfter = flag("-exit-after-ms");
if (exitAfter) setTimeout(() => process.exit(Number(flag("-exit-code") ?? 1)), Number(exitAfter));

process.on("SIGTERM", () => {
  if (argv.includes("-ignore-sigterm")) return;
  process.stdout.write(`${line("Info", "goodbye")}\nno newline at the end`, () => process.exit(0));
});
