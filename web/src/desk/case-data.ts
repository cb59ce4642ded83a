import { useQueries, useQuery } from '@tanstack/react-query';
import { get } from '../api.ts';
import type { NoticeDetail } from '../portal/NoticeView.tsx';
import type { Exposure } from './SafeMedia.tsx';

export interface CaseFile {
  id: string;
  subject_key: string;
  subject: Record<string, unknown>;
  status: string;
  jurisdiction: string;
  category: string;
  severity: number;
  trusted: boolean;
  language: string;
  notice_count: number;
  hash_match_confidence: number | null;
  due_at: string | null;
  legal_due_at: string | null;
  assigned_to: string | null;
  lease_until: string | null;
  outcome: string | null;
  events: {
    seq: number;
    type: string;
    from_status: string;
    to_status: string;
    actor_type: string;
    data: unknown;
    at: string;
  }[];
  notices: {
    id: string;
    org: string;
    source_type: string;
    category: string;
    reference: string | null;
    explanation: string;
    legal_basis: string | null;
    status: string;
    received_at: string;
    idx: number;
    raw: string;
  }[];
  decisions: {
    id: string;
    outcome: string;
    status: string;
    decided_by: string;
    created_at: string;
    statement_token?: string | null;
  }[];
  actions: { id: string; type: string; status: string; connector: string; last_error?: string | null }[];
}

export interface Preserved {
  id: string;
  kind: string;
  description: string;
  filename: string | null;
  content_type: string | null;
  sha256: string | null;
  md5: string | null;
  hashes: Record<string, unknown>;
  purged_at: string | null;
}

export function useCase(id: string) {
  return useQuery({
    queryKey: ['case', id],
    queryFn: () => get<CaseFile>(`/v1/cases/${id}`),
    refetchInterval: 15_000,
  });
}

/** Each notice of the case in full, for its evidence and notifier. */
export function useCaseNotices(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['notice', id],
      queryFn: () => get<NoticeDetail>(`/v1/notices/${id}`),
    })),
  });
}

export function usePreserved(caseId: string) {
  return useQuery({
    queryKey: ['preserved', caseId],
    queryFn: async () => (await get<{ items: Preserved[] }>(`/v1/cases/${caseId}/preserved-content`)).items,
  });
}

/** The day's exposure as the last reveal reported it (the API answers it with each reveal). */
export function useExposure() {
  return useQuery<Exposure>({
    queryKey: ['exposure'],
    queryFn: () => Promise.reject(new Error('set by reveals')),
    enabled: false,
    staleTime: Infinity,
  });
}
