/**
 * The human progress display: one updating line on stderr when it is a terminal, plain
 * lines otherwise. stdout stays pure JSON log lines for logproc.
 */
export interface Progress {
  step(message: string): void;
  update(message: string): void;
  done(message?: string): void;
  note(message: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true): Progress {
  let active: string | undefined;
  let startedAt = Date.now();
  const clear = () => {
    if (enabled && active !== undefined) stream.write("\r\x1b[2K");
  };
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  if (!enabled) return plainProgress(stream);
  return {
    step(message) {
      clear();
      active = message;
      startedAt = Date.now();
      stream.write(`… ${message}`);
    },
    update(message) {
      if (active === undefined) return;
      clear();
      stream.write(`… ${active}: ${message} (${elapsed()})`);
    },
    done(message) {
      if (active === undefined) return;
      clear();
      stream.write(`✓ ${message ?? active} (${elapsed()})\n`);
      active = undefined;
    },
    note(message) {
      clear();
      stream.write(`${message}\n`);
      if (active !== undefined) stream.write(`… ${active}`);
    },
  };
}

/** How often a step's changing detail is printed when stderr is a file or a pipe (CI logs). */
const PLAIN_UPDATE_EVERY_MS = 2_000;

/**
 * stderr is not a terminal (a CI log, `2> file`): no cursor tricks, but the same steps as
 * plain lines, and a step's detail at most every 2 s, so that a long step still shows life.
 */
export function plainProgress(stream: NodeJS.WritableStream, now: () => number = Date.now): Progress {
  let active: string | undefined;
  let startedAt = now();
  let lastUpdate: { text: string; at: number } | undefined;
  const elapsed = () => `${((now() - startedAt) / 1000).toFixed(1)} s`;
  return {
    step(message) {
      active = message;
      startedAt = now();
      lastUpdate = undefined;
      stream.write(`… ${message}\n`);
    },
    update(message) {
      if (active === undefined || message === lastUpdate?.text || (lastUpdate && now() - lastUpdate.at < PLAIN_UPDATE_EVERY_MS)) return;
      lastUpdate = { text: message, at: now() };
      stream.write(`  ${active}: ${message} (${elapsed()})\n`);
    },
    done(message) {
      if (active === undefined) return;
      stream.write(`✓ ${message ?? active} (${elapsed()})\n`);
      active = undefined;
    },
    note(message) {
      stream.write(`${message}\n`);
    },
  };
}
