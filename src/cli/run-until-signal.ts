// Long-running `shopfloor` commands (central, terminal, demo) stay up until SIGINT or SIGTERM, then close cleanly.

/** Resolves with the exit code once `close` has finished after a signal. */
export function runUntilSignal(name: string, close: () => Promise<void>, err: NodeJS.WritableStream): Promise<number> {
  return new Promise<number>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      close().then(
        () => done(0),
        (error: unknown) => {
          err.write(`shopfloor ${name}: closing failed: ${(error as Error).message}\n`);
          done(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
