import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';

export interface Category {
  code: string;
  severity: number;
  labels: Record<string, string>;
  anonymous_notices: boolean;
}

export function useTaxonomy() {
  return useQuery({
    queryKey: ['taxonomy'],
    queryFn: async () => (await get<{ items: Category[] }>('/v1/taxonomy')).items,
    staleTime: 3600_000,
  });
}

/** A category's label in the console's language (the taxonomy carries both). */
export function useCategoryLabel(): (code: string) => string {
  const { i18n } = useTranslation();
  const { data } = useTaxonomy();
  return (code) => data?.find((c) => c.code === code)?.labels[i18n.language] ?? code;
}
