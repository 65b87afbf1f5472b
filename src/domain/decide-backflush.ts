import type { Material, OrderComponent, OrderOperation, WorkCenter } from './types.js';

export type DecidedBy = 'posting' | 'operation' | 'component' | 'material' | 'workCenter';

export interface BackflushDecision {
  backflush: boolean;
  decidedBy: DecidedBy;
}

/**
 * The four levels of product.md "Flags": the posting and the operation can only say no;
 * the component line, when set, overrides what the material inherits; a material that
 * leaves it to the work center asks the work center's flag.
 */
export function decideBackflush(levels: {
  postingBackflushes: boolean;
  operation: OrderOperation;
  component: OrderComponent;
  material: Material;
  workCenter: WorkCenter;
}): BackflushDecision {
  if (!levels.postingBackflushes) return { backflush: false, decidedBy: 'posting' };
  if (!levels.operation.backflush) return { backflush: false, decidedBy: 'operation' };
  if (levels.component.backflush !== null) return { backflush: levels.component.backflush, decidedBy: 'component' };
  if (levels.material.backflush === 'always') return { backflush: true, decidedBy: 'material' };
  if (levels.material.backflush === 'never') return { backflush: false, decidedBy: 'material' };
  return { backflush: levels.workCenter.backflush, decidedBy: 'workCenter' };
}
