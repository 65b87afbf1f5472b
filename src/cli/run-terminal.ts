// `shopfloor terminal --config FILE`: a terminal service in browser mode, without a window. The
// configuration is validated first: every error with its JSON path, then exit 2, nothing started.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { validateTerminalConfig } from '../api/terminal-config.js';
import { runUntilSignal } from './run-until-signal.js';

export async function runTerminal(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let file: string;
  try {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } }, strict: true });
    if (values.config === undefined) throw new Error('--config FILE is required');
    file = resolve(values.config);
  } catch (error) {
    err.write(`shopfloor terminal: ${(error as Error).message}\n`);
    return 2;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    err.write(`shopfloor terminal: cannot read the configuration ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const config = validateTerminalConfig(doc);
  if (!config.ok) {
    err.write(`shopfloor terminal: the configuration ${file} is not valid:\n${config.errors.map((e) => `  ${e.path}: ${e.message}\n`).join('')}`);
    return 2;
  }
  let terminal;
  try {
    // Loaded here, not at the top: `shopfloor decode` and `check` do not pay for Fastify and the drivers.
    const { startTerminal } = await import('../terminal/start-terminal.js');
    terminal = await startTerminal(config.value, { baseDir: dirname(file) });
  } catch (error) {
    err.write(`shopfloor terminal: ${(error as Error).message}\n`);
    return 1;
  }
  out.write(`terminal ${config.value.terminalId} in browser mode at ${terminal.url}\n`);
  const running = terminal;
  return runUntilSignal('terminal', () => running.close(), err);
}
