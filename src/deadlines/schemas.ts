import { z } from 'zod';
import { timestamp } from '../http/schemas.ts';

/** A deadline clock as views show it (src/deadlines/deadline-clock.ts, DeadlineView). */
export const deadlineSchema = z.object({
  due_at: timestamp,
  hours: z.number(),
  state: z.enum(['running', 'paused', 'at_risk', 'breached', 'stopped']),
  stopped_at: timestamp.nullable(),
});
