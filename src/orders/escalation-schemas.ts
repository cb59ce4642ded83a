import { z } from 'zod';
import { deadlineSchema } from '../deadlines/schemas.ts';
import { timestamp, uuid } from '../http/schemas.ts';
import { escalationSteps } from '../policy/channel-policy.ts';

/** SAMAN's ladder as its views show it (src/orders/escalation.ts, ladderOf). */
export const fine = z.object({ amount: z.number(), currency: z.string() });
export const ladderSchema = z.object({
  applies: z
    .boolean()
    .describe('Whether SAMAN’s ladder follows this notice (an order in a jurisdiction where it applies)'),
  steps: z.array(
    z.object({
      id: uuid,
      step: z.enum(escalationSteps),
      position: z.number().int(),
      legal_basis: z.string(),
      letter_reference: z.string().nullable(),
      fine: fine.nullable(),
      reasons: z.string(),
      issued_at: timestamp,
      answered_at: timestamp.nullable(),
      message_id: uuid,
      deadline: deadlineSchema,
    }),
  ),
  next_step: z.enum(escalationSteps).nullable(),
  next_step_from: timestamp.nullable().describe('When the next step may be issued: the breach it answers'),
});
