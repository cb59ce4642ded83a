import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post, setCsrfToken } from './api.ts';
import { type Language, setLanguage, storedLanguage } from './i18n/index.ts';

export interface Me {
  type: 'user' | 'key';
  id: string;
  display_name: string;
  org: { id: string; slug: string; kind: string };
  roles: string[];
  permissions: string[];
  languages: string[];
  jurisdictions: string[];
  csrf_token: string | null;
}

const FLAGGER_KINDS = new Set(['government', 'law_enforcement', 'court', 'ngo', 'public']);

export const isFlagger = (me: Me) => FLAGGER_KINDS.has(me.org.kind);
export const can = (me: Me, permission: string) => me.permissions.includes(permission);

/**
 * The rule: Indonesian for flagger organisations (the ministry's analysts work in
 * Bahasa Indonesia), the user's own first language otherwise; a choice made with the switch
 * wins over both.
 */
export function languageFor(me: Me): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  if (isFlagger(me)) return 'id';
  const first = me.languages.find((l) => l === 'id' || l === 'en');
  return (first as Language | undefined) ?? 'id';
}

/**
 * Whether this browser holds a session. The cookie is HttpOnly, so the page cannot see it;
 * this marker spares a logged-out visitor a 401 from GET /v1/me on every load.
 */
const SIGNED_IN = 'tapis.signed-in';

/** Who am I: null when nobody is logged in. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      if (!localStorage.getItem(SIGNED_IN)) return null;
      try {
        const me = await get<Me>('/v1/me');
        setCsrfToken(me.csrf_token);
        setLanguage(languageFor(me), false);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          localStorage.removeItem(SIGNED_IN);
          return null;
        }
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSessionActions() {
  const client = useQueryClient();
  return {
    async login(email: string, password: string) {
      const answer = await post<{ csrf_token: string }>('/v1/auth/login', { email, password });
      setCsrfToken(answer.csrf_token);
      localStorage.setItem(SIGNED_IN, '1');
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      await client.invalidateQueries({ queryKey: ['me'] });
    },
    async logout() {
      await post('/v1/auth/logout').catch(() => undefined);
      localStorage.removeItem(SIGNED_IN);
      setCsrfToken(null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      client.setQueryData(['me'], null);
    },
  };
}
