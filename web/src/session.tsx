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

const FLAGGER_KINDS = new Set(['government', 'law_enforcement', 'ngo', 'public']);

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

/** Who am I: null when nobody is logged in. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await get<Me>('/v1/me');
        setCsrfToken(me.csrf_token);
        setLanguage(languageFor(me), false);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
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
      client.clear();
      await client.invalidateQueries({ queryKey: ['me'] });
    },
    async logout() {
      await post('/v1/auth/logout').catch(() => undefined);
      setCsrfToken(null);
      client.clear();
      client.setQueryData(['me'], null);
    },
  };
}
