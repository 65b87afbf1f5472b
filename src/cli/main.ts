import { runCentral } from '../central/run-central.js';
import { runImport } from '../central/run-import.js';
import { runCheck } from './run-check.js';
import { runDecode } from './run-decode.js';
import { runDemo } from './run-demo.js';
import { runTerminal } from './run-terminal.js';

const usage = `Usage: shopfloor <command> [options]

Commands:
  central [--port N] [--host H] [--database URL] [--data DIR]  the central server (PostgreSQL with --database or DATABASE_URL, else embedded in DIR)
  check --database FILE   verify a terminal database: hash chain, seq continuity, stock = replay of the ledger
  decode [--master-data FILE] [--now TIME]  decode one scan read from stdin, print it as JSON (exit 0 valid, 1 invalid)
  demo [--data DIR] [--port N] [--central-port N]  the demo: an embedded central, terminal T-LID1 syncing with it, its screens in browser mode
  help                    show this text
  import FILE --central URL --token T  load a master data file into the central; prints each error with its JSON path
  terminal --config FILE  a terminal service in browser mode (HTTP API, events, the screens) from its configuration
`;

/** Runs one `shopfloor` command and returns its exit code. */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'central':
      return runCentral(rest, out, err);
    case 'check':
      return runCheck(rest, out, err);
    case 'decode':
      return runDecode(rest, out, err);
    case 'demo':
      return runDemo(rest, out, err);
    case 'import':
      return runImport(rest, out, err);
    case 'terminal':
      return runTerminal(rest, out, err);
    case undefined:
    case 'help':
    case '--help':
      out.write(usage);
      return command === undefined ? 2 : 0;
    default:
      err.write(`shopfloor: unknown command '${command}'\n${usage}`);
      return Promise.resolve(2);
  }
}
