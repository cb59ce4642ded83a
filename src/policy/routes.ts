import { z } from 'zod';
import { notFound } from '../core/errors.ts';
import type { RouteModule } from '../http/route-module.ts';
import { countryCode, int4Param, languageCode, timestamp } from '../http/schemas.ts';
import { listJurisdictions, publicJurisdiction, saveJurisdiction } from './jurisdictions.ts';
import { currentPolicy, listPolicyVersions, policyVersion, savePolicy } from './policy-store.ts';

const contact = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  phone: z.string().trim().min(3).max(50).optional(),
  address: z.string().trim().min(1).max(500).optional(),
});

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone, e.g. Asia/Jakarta');

const versionSchema = z.object({
  version: z.number().int(),
  note: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: timestamp,
});

/** The SOP policy (versioned, admins edit it) and the jurisdictions' public records. */
export const policyRoutes: RouteModule = async (app, { ctx }) => {
  app.get(
    '/v1/policy',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: 'The SOP policy in force: taxonomy, deadlines, at-risk thresholds',
        response: { 200: versionSchema.extend({ document: z.unknown() }) },
      },
    },
    async () => currentPolicy(ctx.db),
  );

  app.put(
    '/v1/policy',
    {
      config: { access: 'policy:write' },
      schema: {
        tags: ['policy'],
        summary:
          'Save a new version of the SOP policy (the whole document); every version is kept and audited',
        body: z.strictObject({ document: z.unknown(), note: z.string().trim().min(1).max(1000) }),
        response: { 201: versionSchema.extend({ document: z.unknown() }) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await savePolicy(ctx.db, request.actor!, request.body.document, request.body.note, ctx.clock()),
        ),
  );

  app.get(
    '/v1/policy/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: 'Every version of the policy, newest first',
        response: { 200: z.object({ items: z.array(versionSchema) }) },
      },
    },
    async () => ({ items: await listPolicyVersions(ctx.db) }),
  );

  app.get(
    '/v1/policy/versions/:version',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: 'One version of the policy',
        params: z.strictObject({ version: int4Param(1) }),
        response: { 200: versionSchema.extend({ document: z.unknown() }) },
      },
    },
    async (request) => {
      const found = await policyVersion(ctx.db, request.params.version);
      if (!found) throw notFound(`no policy version ${request.params.version}`);
      return found;
    },
  );

  app.get(
    '/v1/taxonomy',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policy'],
        summary: 'The categories a notice can have, with Indonesian and English labels',
      },
    },
    async () => ({ items: (await currentPolicy(ctx.db)).document.taxonomy }),
  );

  app.get(
    '/v1/jurisdictions',
    {
      config: { access: 'public' },
      schema: { tags: ['policy'], summary: 'The jurisdictions with a public record' },
    },
    async () => ({ items: await listJurisdictions(ctx.db) }),
  );

  app.get(
    '/v1/jurisdictions/:code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policy'],
        summary:
          'The platform’s legal representative and contact point in a country, its languages, time zone and the deadlines in force',
        params: z.strictObject({ code: countryCode }),
      },
    },
    async (request) => publicJurisdiction(ctx.db, request.params.code),
  );

  app.put(
    '/v1/jurisdictions/:code',
    {
      config: { access: 'policy:write' },
      schema: {
        tags: ['policy'],
        summary: 'Create or update a jurisdiction’s record',
        params: z.strictObject({ code: countryCode }),
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          legal_representative: contact,
          contact_point: contact,
          languages: z.array(languageCode).min(1).max(20),
          time_zone: timeZone,
          escalation_roster: z.array(contact).max(50).optional(),
        }),
      },
    },
    async (request) => {
      await saveJurisdiction(ctx.db, request.actor!, request.params.code, request.body, ctx.clock());
      return publicJurisdiction(ctx.db, request.params.code);
    },
  );
};
