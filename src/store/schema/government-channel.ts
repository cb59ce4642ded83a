import type { ColumnType } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './foundation.ts';

/** 1100: an authority an organisation may issue orders as (src/orders/issuer-registry.ts). */
export interface IssuerRegistrationsTable {
  id: string;
  org_id: string;
  authority: string;
  jurisdictions: string[];
  order_kinds: string[];
  note: string | null;
  registered_by: string;
  registered_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/** 1100: the clock of an appeal, an objection or an escalation step (src/deadlines/). */
export interface DeadlineClocksTable {
  id: string;
  subject_type: 'appeal' | 'objection' | 'escalation_step';
  subject_id: string;
  case_id: string | null;
  notice_id: string | null;
  org_id: string | null;
  started_at: Timestamp;
  hours: number;
  due_at: Timestamp;
  marks_announced: ColumnType<number, number | undefined, number>;
  next_mark_at: NullableTimestamp;
  stopped_at: NullableTimestamp;
}

/** 1100: a notifier's objection to a decision (SAMAN "sanggah", src/objections/). */
export interface ObjectionsTable {
  id: string;
  notice_id: string;
  org_id: string;
  message_id: string;
  grounds: string;
  case_ids: string[];
  decision_ids: string[];
  /** Who made or approved the decisions objected to: none of them answers. */
  deciders: string[];
  jurisdiction: string;
  language: string;
  notice_status_before: string;
  status: 'open' | 'answered';
  outcome: 'maintained' | 'reopened' | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: NullableTimestamp;
  answer_message_id: string | null;
  created_at: Timestamp;
}

/** 1100: a step of SAMAN's escalation ladder on a breached order (src/orders/escalation.ts). */
export interface EscalationStepsTable {
  id: string;
  notice_id: string;
  org_id: string;
  step: 'first_warning' | 'second_warning' | 'access_blocking_recommendation';
  position: number;
  legal_basis: string;
  letter_reference: string | null;
  fine: Json<{ amount: number; currency: string } | null>;
  reasons: string;
  issued_by: string;
  issued_at: Timestamp;
  message_id: string;
  answered_at: NullableTimestamp;
}

export interface GovernmentChannelTables {
  issuer_registrations: IssuerRegistrationsTable;
  deadline_clocks: DeadlineClocksTable;
  objections: ObjectionsTable;
  escalation_steps: EscalationStepsTable;
}
