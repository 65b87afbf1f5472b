import { describe, expect, it } from 'vitest';
import { detectWedgeScans, EMPTY_WEDGE_STATE, feedWedgeKey, flushWedge, type WedgeKeyEvent, type WedgeOutput } from './detect-wedge-scans.js';
import { usLayoutCharacter } from './us-layout-character.js';

// A US-layout keyboard, written out independently of usLayoutCharacter: character → [code, shift].
const US_KEYS: Record<string, [string, boolean]> = {
  ']': ['BracketRight', false], '[': ['BracketLeft', false], '-': ['Minus', false], '/': ['Slash', false],
  '.': ['Period', false], '>': ['Period', true], ' ': ['Space', false], ')': ['Digit0', true], '(': ['Digit9', true], '+': ['Equal', true],
};

function usKey(character: string): [code: string, shift: boolean] {
  if (/^[a-z]$/.test(character)) return [`Key${character.toUpperCase()}`, false];
  if (/^[A-Z]$/.test(character)) return [`Key${character}`, true];
  if (/^[0-9]$/.test(character)) return [`Digit${character}`, false];
  const key = US_KEYS[character];
  if (!key) throw new Error(`no US key for ${JSON.stringify(character)} in this test`);
  return key;
}

const key = (code: string, key: string, timeStamp: number, flags: Partial<Pick<WedgeKeyEvent, 'ctrlKey' | 'shiftKey'>> = {}): WedgeKeyEvent => ({
  code, key, timeStamp, ctrlKey: flags.ctrlKey ?? false, shiftKey: flags.shiftKey ?? false,
});

/**
 * The keydowns a scanner (US layout, on a US desktop) produces for `text`, with the gaps given in
 * turn (cycled); a Shift keydown 1 ms before each shifted character, as scanners send it.
 */
function scannerTypes(text: string, start: number, gaps: readonly number[], enter = true): WedgeKeyEvent[] {
  const events: WedgeKeyEvent[] = [];
  let t = start;
  [...text].forEach((character, i) => {
    if (i > 0) t += gaps[(i - 1) % gaps.length] ?? 8;
    const [code, shift] = usKey(character);
    if (shift) events.push(key('ShiftLeft', 'Shift', t - 1, { shiftKey: true }));
    events.push(key(code, character, t, { shiftKey: shift }));
  });
  if (enter) events.push(key('Enter', 'Enter', t + (gaps[0] ?? 8)));
  return events;
}

const scans = (outputs: readonly WedgeOutput[]) => outputs.filter((o) => o.kind === 'scan').map((o) => o.data);
const typed = (outputs: readonly WedgeOutput[]) => outputs.filter((o) => o.kind === 'typing').map((o) => o.text);

describe('detectWedgeScans: recorded sequences', () => {
  it('takes a scanner burst (8 ms per key, two 40 ms USB hiccups) ending with Enter as one scan', () => {
    const gaps = [8.1, 7.9, 8.3, 40.2, 8.0, 7.7, 8.4, 8.2, 39.6, 8.1];
    const events = scannerTypes(']C100340123450000000017', 1_000.4, gaps);
    const outputs = detectWedgeScans(events);
    expect(outputs).toEqual([{ kind: 'scan', data: ']C100340123450000000017', startedAt: 1_000.4, endedAt: expect.any(Number) as unknown }]);
  });

  it('takes the same burst recorded on a German desktop: -, /, . and Y/Z come from the key positions', () => {
    // The scanner (US layout) sends "LOT-2026/11.YZ"; the German desktop reports `key` by its own layout.
    const german: WedgeKeyEvent[] = [
      key('ShiftLeft', 'Shift', 99, { shiftKey: true }),
      key('KeyL', 'L', 100, { shiftKey: true }),
      key('ShiftLeft', 'Shift', 106, { shiftKey: true }),
      key('KeyO', 'O', 107, { shiftKey: true }),
      key('ShiftLeft', 'Shift', 113, { shiftKey: true }),
      key('KeyT', 'T', 114, { shiftKey: true }),
      key('Minus', 'ß', 121),
      key('Digit2', '2', 128),
      key('Digit0', '0', 135),
      key('Digit2', '2', 142),
      key('Digit6', '6', 149),
      key('Slash', '-', 156),
      key('Digit1', '1', 163),
      key('Digit1', '1', 170),
      key('Period', '.', 177),
      key('ShiftLeft', 'Shift', 183, { shiftKey: true }),
      key('KeyY', 'Z', 184, { shiftKey: true }),
      key('ShiftLeft', 'Shift', 190, { shiftKey: true }),
      key('KeyZ', 'Y', 191, { shiftKey: true }),
      key('Enter', 'Enter', 198),
    ];
    expect(scans(detectWedgeScans(german))).toEqual(['LOT-2026/11.YZ']);
  });

  it('never takes a fast human for a scanner: 85-140 ms per key, with a 12 ms roll-over, ending with Enter', () => {
    const events = [
      key('Digit4', '4', 0), key('Digit7', '7', 95), key('Digit1', '1', 107), key('Digit1', '1', 217),
      key('Digit2', '2', 305), key('Digit0', '0', 445), key('Enter', 'Enter', 530),
    ];
    const outputs = detectWedgeScans(events);
    expect(scans(outputs)).toEqual([]);
    // Pauses over 100 ms cut the typing into pieces; together they are every key, in order.
    expect(typed(outputs).join('')).toBe('471120');
    expect(outputs.flatMap((o) => (o.kind === 'typing' ? o.events : []))).toEqual(events);
  });

  it('never takes a person at 80 ms per key for a scanner, even when the text starts like an AIM id', () => {
    const events = scannerTypes(']C1003401234', 0, [80]);
    const outputs = detectWedgeScans(events);
    expect(scans(outputs)).toEqual([]);
    expect(typed(outputs)).toEqual([']C1003401234']);
  });

  it('turns Ctrl+] into GS inside a GS1 scan', () => {
    const events = [
      ...scannerTypes(']d20104012345678901' + '10ABC', 5_000, [6]).filter((e) => e.code !== 'Enter'),
      key('ControlLeft', 'Control', 5_145, { ctrlKey: true }),
      key('BracketRight', ']', 5_146, { ctrlKey: true }), // on a German desktop the key would read '+': the code decides
      ...scannerTypes('21XYZ', 5_152, [6]),
    ];
    expect(scans(detectWedgeScans(events))).toEqual([']d20104012345678901' + '10ABC\x1d21XYZ']);
  });

  it('turns Ctrl+^ and Ctrl+D into RS and EOT for an ISO/IEC 15434 envelope', () => {
    const ctrl = (code: string, t: number, shift = false) => [
      key('ControlLeft', 'Control', t - 1, { ctrlKey: true }),
      key(code, code === 'KeyD' ? 'd' : '^', t, { ctrlKey: true, shiftKey: shift }),
    ];
    const events = [
      ...scannerTypes('[)>', 0, [7], false),
      ...ctrl('Digit6', 20, true),
      ...scannerTypes('06', 27, [7], false),
      ...ctrl('BracketRight', 40),
      ...scannerTypes('1T42', 47, [7], false),
      ...ctrl('Digit6', 75),
      ...ctrl('KeyD', 82),
      key('Enter', 'Enter', 89),
    ];
    expect(scans(detectWedgeScans(events))).toEqual(['[)>\x1e06\x1d1T42\x1e\x04']);
  });

  it('takes an AIM-prefixed burst without Enter as a scan once the pause ends it', () => {
    const events = scannerTypes(']E05901234123457', 0, [9], false);
    expect(scans(detectWedgeScans(events))).toEqual([']E05901234123457']);
  });

  it('does not take a fast burst without Enter and without AIM prefix for a scan', () => {
    const events = scannerTypes('5901234123457', 0, [9], false);
    expect(scans(detectWedgeScans(events))).toEqual([]);
  });

  it('separates a person typing from a scan that follows a pause', () => {
    const human = [key('KeyA', 'a', 0), key('KeyB', 'b', 90)];
    const scan = scannerTypes('4711-0815', 600, [10]);
    const outputs = detectWedgeScans([...human, ...scan]);
    expect(outputs.map((o) => o.kind)).toEqual(['typing', 'scan']);
    expect(typed(outputs)).toEqual(['ab']);
    expect(scans(outputs)).toEqual(['4711-0815']);
  });

  it('needs at least 4 characters: a fast "123" + Enter is typing', () => {
    expect(scans(detectWedgeScans(scannerTypes('123', 0, [5])))).toEqual([]);
    expect(scans(detectWedgeScans(scannerTypes('1234', 0, [5])))).toEqual(['1234']);
  });

  it('does not take keys that type no character (F5, Ctrl+C) as part of a scan', () => {
    const events = [...scannerTypes('12', 0, [5], false), key('KeyC', 'c', 10, { ctrlKey: true }), ...scannerTypes('34', 15, [5])];
    expect(scans(detectWedgeScans(events))).toEqual([]);
  });
});

describe('feedWedgeKey and flushWedge: the incremental form the renderer uses', () => {
  it('gives the same result key by key, and a pause timer ends an AIM-prefixed scan', () => {
    const events = scannerTypes(']Q3LOC-ML-LID1', 0, [7], false);
    let state = EMPTY_WEDGE_STATE;
    for (const event of events) {
      const step = feedWedgeKey(state, event);
      expect(step.outputs).toEqual([]);
      state = step.state;
    }
    const last = events[events.length - 1]?.timeStamp ?? 0;
    expect(flushWedge(state, last + 50).outputs).toEqual([]); // the pause is not over yet
    const flushed = flushWedge(state, last + 101);
    expect(scans(flushed.outputs)).toEqual([']Q3LOC-ML-LID1']);
    expect(flushed.state).toEqual(EMPTY_WEDGE_STATE);
  });

  it('ignores modifier keys alone', () => {
    const step = feedWedgeKey(EMPTY_WEDGE_STATE, key('ShiftLeft', 'Shift', 0, { shiftKey: true }));
    expect(step).toEqual({ state: EMPTY_WEDGE_STATE, outputs: [] });
  });
});

describe('usLayoutCharacter', () => {
  it.each([
    ['KeyA', false, 'a'], ['KeyA', true, 'A'], ['KeyY', true, 'Y'], ['KeyZ', false, 'z'], ['Digit0', false, '0'],
    ['Digit1', true, '!'], ['Digit6', true, '^'], ['Minus', false, '-'], ['Minus', true, '_'], ['Slash', false, '/'],
    ['Slash', true, '?'], ['Period', false, '.'], ['Comma', false, ','], ['Semicolon', true, ':'], ['Quote', true, '"'],
    ['BracketLeft', false, '['], ['BracketRight', false, ']'], ['Backslash', false, '\\'], ['Backquote', true, '~'],
    ['Equal', true, '+'], ['Space', false, ' '], ['Numpad7', false, '7'], ['NumpadDecimal', false, '.'], ['NumpadSubtract', false, '-'],
  ] as const)('%s (shift %s) is %j', (code, shift, expected) => {
    expect(usLayoutCharacter(code, shift)).toBe(expected);
  });

  it.each(['Enter', 'F5', 'ArrowLeft', 'Backspace', 'KeyAB', 'Digit', 'toString', '', 'Unidentified'])('%j types nothing', (code) => {
    expect(usLayoutCharacter(code, false)).toBeNull();
  });
});
