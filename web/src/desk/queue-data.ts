import { useInfiniteQuery } from '@tanstack/react-query';
import { get, query } from '../api.ts';

export interface QueueItem {
  case_id: string;
  subject_key: string;
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
  escalated: boolean;
  held_by_me: boolean;
}

export interface QueueFilters {
  jurisdiction?: string;
  category?: string;
  source?: string;
  language?: string;
}

export const PAGE = 500;

/** The queue in pages of 500 (the API's largest), the next fetched as the list nears its end. */
export function useQueue(filters: QueueFilters) {
  return useInfiniteQuery({
    queryKey: ['queue', filters],
    initialPageParam: 0,
    queryFn: async ({ pageParam }) =>
      (await get<{ items: QueueItem[] }>(`/v1/queue${query({ ...filters, limit: PAGE, offset: pageParam })}`))
        .items,
    getNextPageParam: (last, pages) => (last.length === PAGE ? pages.length * PAGE : undefined),
    refetchInterval: 30_000,
  });
}
