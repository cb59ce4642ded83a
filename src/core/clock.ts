/** Time is an argument: domain code takes `now`, edges take a Clock so tests can set it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
