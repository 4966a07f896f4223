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
  if (!enabled) {
    return { step: () => undefined, update: () => undefined, done: () => undefined, note: (m) => void stream.write(`${m}\n`) };
  }
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
