import type { z } from 'zod';
import type { repeatInfringerSchema } from '../policy/sop-policy.ts';

export type RepeatInfringerSchema = z.infer<typeof repeatInfringerSchema>;
