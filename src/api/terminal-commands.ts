// The terminal API (contracts.md §3), declared once: each command's input, result and the roles
// allowed. The service checks roles and input from this list; the HTTP routes and the IPC
// bridge are generated from it; the handlers' types are derived from it.
import { z } from 'zod';
import type { Role } from '../domain/types.js';
import * as input from './commands.js';
import * as result from './command-results.js';

/** `public`: no session needed (login); `anyone`: any logged-in user; else the roles that may. */
export type CommandAccess = 'public' | 'anyone' | readonly Role[];

interface CommandDeclaration {
  input: z.ZodType;
  result: z.ZodType;
  access: CommandAccess;
  /** What the command does, in the words of the refusal "Only a … may <action>." */
  action: string;
  /** Writes to the ledger (the service tells the sync and the event stream afterwards). */
  posts?: boolean;
}

const OPERATE = ['operator', 'supervisor'] as const satisfies readonly Role[];
const MOVE = ['materialHandler', 'supervisor'] as const satisfies readonly Role[];
const SUPERVISE = ['supervisor'] as const satisfies readonly Role[];

const nothing = z.strictObject({});
const pin = z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits');

export const loginInputSchema = z.strictObject({ badge: z.string().trim().min(1).max(200), pin });
export const scanInputSchema = z.strictObject({
  /** The raw scan as the scanner delivered it (AIM identifier, GS as \u001d). */
  data: z.string().max(4096),
  source: z.string().max(200).optional(),
});
export const listOrdersInputSchema = z.strictObject({ workCenter: z.string().trim().min(1).max(200).optional() });
export const getHuLabelInputSchema = z.strictObject({
  hu: z.string().trim().min(1).max(200),
  symbology: z.enum(['gs1-128', 'gs1datamatrix']).optional(),
});

export const terminalCommands = {
  login: { input: loginInputSchema, result: result.loginResultSchema, access: 'public', action: 'log in' },
  logout: { input: nothing, result: result.emptyResultSchema, access: 'anyone', action: 'log out' },
  scan: { input: scanInputSchema, result: result.scanResultSchema, access: 'anyone', action: 'scan' },
  listOrders: { input: listOrdersInputSchema, result: result.listOrdersResultSchema, access: 'anyone', action: 'list orders' },
  mountHu: { input: input.mountHuInputSchema, result: result.mountHuResultSchema, access: OPERATE, action: 'mount an HU', posts: true },
  previewConfirmation: {
    input: input.confirmationInputSchema, result: result.previewConfirmationResultSchema, access: OPERATE, action: 'confirm production',
  },
  postConfirmation: {
    input: input.postConfirmationInputSchema, result: result.postConfirmationResultSchema, access: OPERATE, action: 'confirm production', posts: true,
  },
  reversePosting: {
    input: input.reversePostingInputSchema, result: result.reversePostingResultSchema, access: SUPERVISE, action: 'reverse a posting', posts: true,
  },
  transferHu: { input: input.transferHuInputSchema, result: result.transferHuResultSchema, access: MOVE, action: 'transfer stock', posts: true },
  returnHu: { input: input.returnHuInputSchema, result: result.transferHuResultSchema, access: MOVE, action: 'return HUs', posts: true },
  trueUpHu: { input: input.trueUpHuInputSchema, result: result.trueUpHuResultSchema, access: OPERATE, action: 'true up an HU', posts: true },
  countLocation: {
    input: input.countLocationInputSchema, result: result.countLocationResultSchema, access: SUPERVISE, action: 'count a location', posts: true,
  },
  listBacklog: { input: input.listBacklogInputSchema, result: result.listBacklogResultSchema, access: 'anyone', action: 'see the backlog' },
  resolveBacklog: {
    input: input.resolveBacklogInputSchema, result: result.resolveBacklogResultSchema, access: SUPERVISE, action: 'resolve backlog', posts: true,
  },
  listReplenishment: { input: nothing, result: result.listReplenishmentResultSchema, access: 'anyone', action: 'see replenishment tasks' },
  listAnomalies: { input: input.listAnomaliesInputSchema, result: result.listAnomaliesResultSchema, access: SUPERVISE, action: 'see anomalies' },
  getLocationStock: { input: input.getLocationStockInputSchema, result: result.getLocationStockResultSchema, access: 'anyone', action: 'see stock' },
  getVariance: { input: input.getVarianceInputSchema, result: result.getVarianceResultSchema, access: SUPERVISE, action: 'see usage variance' },
  getGenealogy: { input: input.getGenealogyInputSchema, result: result.getGenealogyResultSchema, access: 'anyone', action: 'trace genealogy' },
  getHuLabel: { input: getHuLabelInputSchema, result: result.getHuLabelResultSchema, access: OPERATE, action: 'print a label' },
  getSyncStatus: { input: nothing, result: result.syncStatusResultSchema, access: 'anyone', action: 'see the sync status' },
  syncNow: { input: nothing, result: result.syncNowResultSchema, access: 'anyone', action: 'sync now' },
} as const satisfies Record<string, CommandDeclaration>;

export type TerminalCommands = typeof terminalCommands;
export type CommandName = keyof TerminalCommands;
export type CommandInput<K extends CommandName> = z.output<TerminalCommands[K]['input']>;
/** What a handler may return (before defaults): the result schema's input side. */
export type CommandOutput<K extends CommandName> = z.input<TerminalCommands[K]['result']>;
export type CommandResultOf<K extends CommandName> = z.output<TerminalCommands[K]['result']>;

export const commandNames = Object.keys(terminalCommands) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(terminalCommands, name);
}
