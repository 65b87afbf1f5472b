// What a key produces on a US keyboard layout, from KeyboardEvent.code (the physical key). A
// keyboard-wedge scanner set to US layout sends the US key for each character, whatever layout
// the desktop uses; reading `code` instead of `key` undoes the desktop's layout.

const SHIFTED_DIGITS = ')!@#$%^&*(';

const PUNCTUATION: ReadonlyMap<string, readonly [plain: string, shifted: string]> = new Map(Object.entries({
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  // The extra key of ISO keyboards: a US layout on such a keyboard gives it `\` and `|`.
  IntlBackslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Backquote: ['`', '~'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Space: [' ', ' '],
  Tab: ['\t', '\t'],
} as const));

const NUMPAD: ReadonlyMap<string, string> = new Map(Object.entries({
  NumpadDecimal: '.',
  NumpadAdd: '+',
  NumpadSubtract: '-',
  NumpadMultiply: '*',
  NumpadDivide: '/',
  NumpadEqual: '=',
  NumpadComma: ',',
}));

/** The character of `code` on a US layout, or null for keys that type none (F1, arrows, Enter …). */
export function usLayoutCharacter(code: string, shift: boolean): string | null {
  if (code.length === 4 && code.startsWith('Key')) {
    const letter = code.charCodeAt(3);
    if (letter >= 0x41 && letter <= 0x5a) return shift ? code[3] ?? null : String.fromCharCode(letter + 0x20);
    return null;
  }
  if (code.length === 6 && code.startsWith('Digit')) {
    const digit = code.charCodeAt(5) - 0x30;
    if (digit >= 0 && digit <= 9) return shift ? (SHIFTED_DIGITS[digit] ?? null) : String(digit);
    return null;
  }
  if (code.length === 7 && code.startsWith('Numpad')) {
    const digit = code.charCodeAt(6) - 0x30;
    return digit >= 0 && digit <= 9 ? String(digit) : null;
  }
  const punctuation = PUNCTUATION.get(code);
  if (punctuation !== undefined) return shift ? punctuation[1] : punctuation[0];
  return NUMPAD.get(code) ?? null;
}
