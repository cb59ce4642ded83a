import { z } from 'zod';
import { deadlineSchema } from '../deadlines/schemas.ts';
import { timestamp, uuid } from '../http/schemas.ts';
import { objectionOutcomes } from './rules.ts';

/** An objection as its views show it (src/objections/queue.ts). */
export const objectionSchema = z.object({
  id: uuid,
  notice_id: uuid,
  grounds: z.string(),
  case_ids: z.array(uuid),
  decision_ids: z.array(uuid),
  jurisdiction: z.string(),
  language: z.string(),
  status: z.enum(['open', 'answered']),
  outcome: z.enum(objectionOutcomes).nullable(),
  answer: z.string().nullable(),
  answered_by: uuid.nullable(),
  answered_at: timestamp.nullable(),
  created_at: timestamp,
  due_at: timestamp.nullable(),
  deadline: deadlineSchema.nullable(),
  may_answer: z.boolean(),
});
