import { describe, expect, it } from 'vitest';
import { toProblem } from '../http/problems.ts';
import { databaseUnavailable } from './unavailable.ts';

const withCode = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('an error that means the database is unavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    [
      'the server shutting down (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['the server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['statement_timeout (57014)', withCode('canceling statement due to statement timeout', '57014')],
    ['the pool waiting too long', new Error('timeout exceeded when trying to connect')],
    ['a connection timeout', new Error('Connection terminated due to connection timeout')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['no answer in time', new Error('Query read timeout')],
    [
      'every address of localhost refused',
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'),
    ],
    ['a cause that is one', new Error('query failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') })],
  ])('%s', (_name, error) => {
    expect(databaseUnavailable(error)).toEqual(expect.any(String));
    const problem = toProblem(error);
    expect(problem).toMatchObject({ status: 503, type: '/problems/unavailable', retry_after: 5 });
  });

  it.each([
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['any other error', new Error('something else')],
    ['not an error', 'ECONNREFUSED'],
  ])('is not %s', (_name, error) => {
    expect(databaseUnavailable(error)).toBeNull();
  });

  it('is never mistaken for the client’s fault or a 500', () => {
    expect(toProblem(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')).status).toBe(503);
    expect(toProblem(new Error('something else')).status).toBe(500);
  });
});
