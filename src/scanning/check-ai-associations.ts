// The dictionary's req= and ex= attributes: AIs a label must carry together, or must not. Warnings only (contracts §2).
import type { Gs1Element, ScanWarning } from './decoded-scan.js';
import { GS1_AI_TABLE } from './gs1-ai-table.generated.js';

/** `n` in a pattern stands for any digit: `310n` matches 3100…3109. */
function matches(pattern: string, ai: string): boolean {
  if (pattern.length !== ai.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern.charCodeAt(i);
    if (p !== ai.charCodeAt(i) && p !== 0x6e) return false;
  }
  return true;
}

const show = (pattern: string) => `(${pattern})`;

/** `elements` and `positions` are parallel; each AI is judged once, at its first occurrence. */
export function checkAiAssociations(elements: readonly Gs1Element[], positions: readonly number[]): ScanWarning[] {
  const warnings: ScanWarning[] = [];
  const present: string[] = [];
  const firstAt: number[] = [];
  elements.forEach((e, i) => {
    if (!present.includes(e.ai)) {
      present.push(e.ai);
      firstAt.push(positions[i] ?? 0);
    }
  });
  const anyPresent = (pattern: string) => present.some((ai) => matches(pattern, ai));
  const reported = new Set<string>();
  present.forEach((ai, index) => {
    const definition = GS1_AI_TABLE.get(ai);
    if (!definition) return;
    const position = firstAt[index] ?? 0;
    for (const rule of definition.req) {
      if (rule.some((alternative) => alternative.every(anyPresent))) continue;
      const wanted = rule.map((alternative) => alternative.map(show).join(' with ')).join(' or ');
      warnings.push({
        code: 'requisite-ai',
        message: `(${ai}) ${definition.title} should come with ${wanted} on the same label (GS1 rule); the scan is accepted anyway`,
        position,
      });
    }
    for (const pattern of definition.ex) {
      const other = present.find((candidate) => candidate !== ai && matches(pattern, candidate));
      if (other === undefined) continue;
      const pair = ai < other ? `${ai}/${other}` : `${other}/${ai}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      warnings.push({
        code: 'excluded-ai',
        message: `(${ai}) ${definition.title} and (${other}) must not be on the same label (GS1 rule); the scan is accepted anyway`,
        position,
      });
    }
  });
  return warnings;
}
