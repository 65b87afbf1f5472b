// Keyboard-wedge scanners type their scans as key events. This pure detector tells a scanner's
// burst from a person typing, by timing alone: no clock, no DOM; the renderer feeds it events.
//
// A burst is a run of keys with no pause longer than `pauseMs` between them. It is a scan when it
// has at least `minKeys` characters, the median gap between its keys is ≤ `maxMedianGapMs`, and it
// either ends with Enter or starts with an AIM prefix (`]`, letter, digit; then a pause ends it).
// People type 80 ms or more per key, so their median gap never passes; a scanner's stray slow gap
// (USB hiccup) does not move the median. Characters come from `code` on a US layout
// (us-layout-character.ts); Ctrl+] / Ctrl+^ / Ctrl+D are GS / RS / EOT, as scanners send them.
import { usLayoutCharacter } from './us-layout-character.js';

/** The fields of a DOM KeyboardEvent the detector reads (a keydown). */
export interface WedgeKeyEvent {
  code: string;
  key: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  /** Milliseconds, as KeyboardEvent.timeStamp. */
  timeStamp: number;
}

export interface WedgeOptions {
  /** Characters a scan has at least (Enter not counted). */
  minKeys: number;
  maxMedianGapMs: number;
  /** A gap longer than this ends a burst. */
  pauseMs: number;
  /** A burst longer than this is cut (a stuck key, not a barcode). */
  maxKeys: number;
}

export const DEFAULT_WEDGE_OPTIONS: Readonly<WedgeOptions> = { minKeys: 4, maxMedianGapMs: 25, pauseMs: 100, maxKeys: 8_192 };

export type WedgeOutput =
  | { kind: 'scan'; data: string; startedAt: number; endedAt: number }
  /** Not a scan: the events to hand on as typing, and the text they typed on the desktop's layout. */
  | { kind: 'typing'; text: string; events: WedgeKeyEvent[] };

export interface WedgeState {
  readonly pending: readonly WedgeKeyEvent[];
}

export const EMPTY_WEDGE_STATE: WedgeState = { pending: [] };

export interface WedgeStep {
  state: WedgeState;
  outputs: WedgeOutput[];
}

const MODIFIER_CODES = new Set([
  'ShiftLeft', 'ShiftRight', 'ControlLeft', 'ControlRight', 'AltLeft', 'AltRight', 'MetaLeft', 'MetaRight', 'CapsLock', 'NumLock', 'Fn',
]);

const GS = '\x1d';
const RS = '\x1e';
const EOT = '\x04';

const isEnter = (e: WedgeKeyEvent) => (e.code === 'Enter' || e.code === 'NumpadEnter') && !e.ctrlKey;

/** The character a scanner meant by this key, or null when it is no character (Ctrl+C, F1 …). */
export function wedgeCharacter(event: WedgeKeyEvent): string | null {
  if (event.ctrlKey) {
    if (event.code === 'BracketRight') return GS;
    if (event.code === 'Digit6') return RS; // Ctrl+^: ^ is Shift+6 on a US layout; scanners send it with or without Shift
    if (event.code === 'KeyD') return EOT;
    return null;
  }
  return usLayoutCharacter(event.code, event.shiftKey);
}

const hasAimPrefix = (data: string) => /^\][A-Za-z][0-9]/.test(data);

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function gapsOf(events: readonly WedgeKeyEvent[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < events.length; i++) gaps.push((events[i]?.timeStamp ?? 0) - (events[i - 1]?.timeStamp ?? 0));
  return gaps;
}

/** The scan these keys make, or null; `timed` are the keys whose gaps count (with the Enter, if any). */
function scanOf(keys: readonly WedgeKeyEvent[], timed: readonly WedgeKeyEvent[], endedByEnter: boolean, options: WedgeOptions): string | null {
  if (keys.length < options.minKeys) return null;
  let data = '';
  for (const key of keys) {
    const character = wedgeCharacter(key);
    if (character === null) return null;
    data += character;
  }
  if (!endedByEnter && !hasAimPrefix(data)) return null;
  return median(gapsOf(timed)) <= options.maxMedianGapMs ? data : null;
}

function typing(events: readonly WedgeKeyEvent[]): WedgeOutput {
  return { kind: 'typing', text: events.map((e) => (e.key.length === 1 ? e.key : '')).join(''), events: [...events] };
}

/** Ends the pending burst without an Enter: a scan when it is AIM-prefixed and fast, else typing. */
function close(pending: readonly WedgeKeyEvent[], options: WedgeOptions): WedgeOutput[] {
  if (pending.length === 0) return [];
  const data = scanOf(pending, pending, false, options);
  const first = pending[0] as WedgeKeyEvent;
  const last = pending[pending.length - 1] as WedgeKeyEvent;
  return [data === null ? typing(pending) : { kind: 'scan', data, startedAt: first.timeStamp, endedAt: last.timeStamp }];
}

/** Feeds one keydown. Modifier keys alone are ignored (their state is in the next key's flags). */
export function feedWedgeKey(state: WedgeState, event: WedgeKeyEvent, options: WedgeOptions = DEFAULT_WEDGE_OPTIONS): WedgeStep {
  if (MODIFIER_CODES.has(event.code)) return { state, outputs: [] };
  const outputs: WedgeOutput[] = [];
  let pending = state.pending;
  const last = pending[pending.length - 1];
  if (last !== undefined && (event.timeStamp - last.timeStamp > options.pauseMs || pending.length >= options.maxKeys)) {
    outputs.push(...close(pending, options));
    pending = [];
  }
  if (isEnter(event)) {
    const data = scanOf(pending, [...pending, event], true, options);
    const first = pending[0];
    if (data !== null && first !== undefined) outputs.push({ kind: 'scan', data, startedAt: first.timeStamp, endedAt: event.timeStamp });
    else outputs.push(typing([...pending, event]));
    return { state: EMPTY_WEDGE_STATE, outputs };
  }
  return { state: { pending: [...pending, event] }, outputs };
}

/**
 * Ends a burst after a pause: call it when no key came for `pauseMs` (a timer in the renderer).
 * Nothing happens while the pause is not over yet at `now`.
 */
export function flushWedge(state: WedgeState, now: number, options: WedgeOptions = DEFAULT_WEDGE_OPTIONS): WedgeStep {
  const last = state.pending[state.pending.length - 1];
  if (last === undefined || now - last.timeStamp <= options.pauseMs) return { state, outputs: [] };
  return { state: EMPTY_WEDGE_STATE, outputs: close(state.pending, options) };
}

/** Every scan and piece of typing in a recorded sequence of keydowns. */
export function detectWedgeScans(events: readonly WedgeKeyEvent[], options: WedgeOptions = DEFAULT_WEDGE_OPTIONS): WedgeOutput[] {
  let state = EMPTY_WEDGE_STATE;
  const outputs: WedgeOutput[] = [];
  for (const event of events) {
    const step = feedWedgeKey(state, event, options);
    state = step.state;
    outputs.push(...step.outputs);
  }
  outputs.push(...close(state.pending, options));
  return outputs;
}
