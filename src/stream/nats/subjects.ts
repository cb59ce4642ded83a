import type { Config } from '../../config/config.ts';

/**
 * Names on the NATS server. Content events are published on `<subject>.<anything>`
 * (tapis.content.> by default) into the stream TAPIS_CONTENT; a malformed event is
 * republished, with its reason, on the dead-letter subject, which another stream keeps.
 * Tests and benchmarks use a prefix of their own so that parallel runs never share one.
 */
export interface NatsNames {
  stream: string;
  subjects: string;
  deadStream: string;
  deadSubject: string;
  durable: string;
}

export function natsNames(config: Pick<Config, 'TAPIS_NATS_STREAM' | 'TAPIS_NATS_SUBJECT'>): NatsNames {
  const subject = config.TAPIS_NATS_SUBJECT;
  const first = subject.indexOf('.');
  const deadSubject =
    first < 0 ? `${subject}.dead` : `${subject.slice(0, first)}.dead${subject.slice(first)}`;
  return {
    stream: config.TAPIS_NATS_STREAM,
    subjects: `${subject}.>`,
    deadStream: `${config.TAPIS_NATS_STREAM}_DEAD`,
    deadSubject,
    durable: `${config.TAPIS_NATS_STREAM}_scanner`,
  };
}

/** The header that carries a dead letter's reason. */
export const REASON_HEADER = 'Tapis-Refusal-Reason';
