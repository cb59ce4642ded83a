import { type ComponentProps, lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

// ECharts is large: it is loaded with the first chart, not with the console.
const Chart = lazy(async () => ({ default: (await import('./Chart.tsx')).Bars }));

export function Bars(props: ComponentProps<typeof Chart>) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<div className="chart loading">{t('common.loading')}</div>}>
      <Chart {...props} />
    </Suspense>
  );
}
