// Draws the transparency page's charts from its JSON data block (no inline script: the
// page runs under script-src 'self'). Sets data-charts on <body> once all are drawn.
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const w = data.words;
  const table = (name) => (data.report.tables.find((t) => t.name === name) || { rows: [] }).rows;
  const bar = (id, categories, series, options = {}) => {
    const chart = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
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
      yAxis: { type: 'value', minInterval: options.integer ? 1 : 0 },
      series: series.map((s) => ({ type: 'bar', stack: options.stack, ...s })),
    });
    return chart;
  };
  const sources = table('notices_by_source');
  bar(
    'chart-sources',
    sources.map((r) => r.source_type),
    [{ name: w.chart_sources, data: sources.map((r) => r.notices) }],
    { integer: true },
  );
  const categories = table('notices_by_category');
  bar(
    'chart-categories',
    categories.map((r) => r.category),
    [{ name: w.chart_categories, data: categories.map((r) => r.notices) }],
    { integer: true },
  );
  const outcomes = table('actions_by_outcome_and_ground');
  const outcomeNames = [...new Set(outcomes.map((r) => r.outcome))];
  bar(
    'chart-outcomes',
    outcomeNames,
    ['legal', 'terms', 'none'].map((ground) => ({
      name: w[ground],
      data: outcomeNames.map(
        (o) => (outcomes.find((r) => r.outcome === o && r.ground === ground) || { decisions: 0 }).decisions,
      ),
    })),
    { stack: 'ground', integer: true },
  );
  const timing = table('timing');
  const hours = (s) => (s === null ? null : Math.round((s / 3600) * 100) / 100);
  bar(
    'chart-timing',
    timing.map((r) => r.measure),
    [
      { name: w.median, data: timing.map((r) => hours(r.median_seconds)) },
      { name: w.p90, data: timing.map((r) => hours(r.p90_seconds)) },
    ],
  );
  const appeals = table('appeals');
  bar(
    'chart-appeals',
    appeals.map((r) => r.appellant_type),
    ['lodged', 'decided', 'reversed'].map((k) => ({ name: w[k], data: appeals.map((r) => r[k]) })),
    { integer: true },
  );
  document.body.dataset.charts = String(document.querySelectorAll('.chart canvas').length);
})();
