import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  data: (number | null)[];
}

/**
 * A bar chart (ECharts, canvas: no inline style or script the console's CSP would refuse).
 * The figures are also in the table beside it, for screen readers and for copying.
 */
export function Bars({
  label,
  categories,
  series,
  stack,
  integer = true,
}: {
  label: string;
  categories: string[];
  series: BarSeries[];
  stack?: boolean;
  integer?: boolean;
}) {
  const node = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!node.current) return;
    const chart = echarts.init(node.current, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 32, bottom: 56 },
      legend: { top: 0 },
      tooltip: {},
      xAxis: {
        type: 'category',
        data: categories,
        axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 },
      },
      yAxis: { type: 'value', minInterval: integer ? 1 : 0 },
      series: series.map((s) => ({ type: 'bar', ...(stack ? { stack: 'all' } : {}), ...s })),
    });
    node.current.dataset.drawn = 'true';
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [categories, series, stack, integer]);
  return <div className="chart" ref={node} role="img" aria-label={label} data-testid="chart" />;
}
