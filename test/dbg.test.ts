import { it } from 'vitest';
import { createTestApp } from './support/app.ts';
it('dbg', async () => {
  const app = await createTestApp();
  const a = await app.loginAs('analis@komdigi.example');
  const r = await app.request({ method: 'POST', url: '/v1/notices', as: a, payload: { targets: ['@abc_chan'], category: 'terrorism', explanation: 'Synthetic test notice: the post recruits for a group.', good_faith: true } });
  console.log(r.statusCode, r.body);
  console.log(app.logs.filter((l) => l.includes('"level":50')).join('\n').slice(0, 3000));
  await app.close();
});
