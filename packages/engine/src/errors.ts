/**
 * Errors are values with context until the CLI prints them. `where` names the file,
 * field, node or operation; `hint` says what the user can do next.
 */
export type ErrorKind =
  | "invalid-arguments"
  | "invalid-config"
  | "setup"
  | "docker"
  | "swarm"
  | "port"
  | "image"
  /** an image mina-local cannot run a node in: the forwarder cannot start there (no glibc, libstdc++), or it has no `mina` */
  | "image-unusable"
  | "disk"
  | "nats"
  | "graphql"
  | "teardown"
  /** an operation of Mina's engine interface this engine cannot do (EngineOperationUnsupported says why) */
  | "unsupported"
  | "internal";

export class MinaLocalError extends Error {
  readonly kind: ErrorKind;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(options.where ? `${options.where}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MinaLocalError";
    this.kind = kind;
    this.where = options.where;
    this.hint = options.hint;
  }
}

export type Result<T, E = MinaLocalError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** Race a promise against a timeout whose error names what was being done. */
export async function withTimeout<T>(what: string, ms: number, work: Promise<T>, kind: ErrorKind = "internal"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MinaLocalError(kind, `timed out after ${ms} ms while ${what}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
