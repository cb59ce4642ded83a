/**
 * The conversation that turns forwards into a notice, as one table (the house style of
 * src/cases/transitions.ts). A draft is in one state; a step moves it, or is refused:
 *
 *   (forward/link) ──► category ──category──► legal_basis ──basis──► confirm ──confirm──► filed
 *        │  │                                     │ own                ▲  │ text (explanation)
 *        │  └─(no target: hidden user)─► needs_target ──post──► category  └──┘
 *        │                                        ▼
 *   /gather ──► gathering ──done / window_closed──► category    legal_basis_text ──text──► confirm
 *
 * Every open state accepts `cancel` (→ cancelled), and the rest of an album already begun
 * (`album_part`): an album arrives as one update per post, in quick succession.
 */
export const draftStates = [
  'gathering',
  'needs_target',
  'category',
  'legal_basis',
  'legal_basis_text',
  'confirm',
  'filed',
  'cancelled',
] as const;
export type DraftState = (typeof draftStates)[number];

export const steps = [
  'post',
  'untargeted_post',
  'album_part',
  'done',
  'window_closed',
  'category',
  'basis',
  'basis_own',
  'text',
  'confirm',
  'cancel',
] as const;
export type Step = (typeof steps)[number];

export const transitions: Record<DraftState, Partial<Record<Step, DraftState>>> = {
  gathering: {
    post: 'gathering',
    untargeted_post: 'gathering',
    album_part: 'gathering',
    done: 'category',
    window_closed: 'category',
    cancel: 'cancelled',
  },
  needs_target: {
    post: 'category',
    untargeted_post: 'needs_target',
    album_part: 'needs_target',
    cancel: 'cancelled',
  },
  category: { category: 'legal_basis', album_part: 'category', cancel: 'cancelled' },
  legal_basis: {
    basis: 'confirm',
    basis_own: 'legal_basis_text',
    album_part: 'legal_basis',
    cancel: 'cancelled',
  },
  legal_basis_text: { text: 'confirm', cancel: 'cancelled' },
  confirm: { text: 'confirm', album_part: 'confirm', confirm: 'filed', cancel: 'cancelled' },
  filed: {},
  cancelled: {},
};

export class StepRefused extends Error {
  constructor(
    readonly state: DraftState,
    readonly step: Step,
  ) {
    super(`a draft in state ${state} does not take ${step}`);
  }
}

/** The state after `step`, or StepRefused. */
export function advance(state: DraftState, step: Step): DraftState {
  const next = transitions[state][step];
  if (!next) throw new StepRefused(state, step);
  return next;
}

export function allows(state: DraftState, step: Step): boolean {
  return transitions[state][step] !== undefined;
}

export const isOpen = (state: DraftState) => state !== 'filed' && state !== 'cancelled';

/** How long /gather collects forwards before the notice moves on with what it has. */
export const GATHER_WINDOW_MS = 5 * 60_000;
