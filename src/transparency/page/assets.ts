import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The page's own files, served from this instance (no CDN: the page's CSP allows scripts
 * from 'self' only): the ECharts build from its npm package, the page's script and style.
 */
const require = createRequire(import.meta.url);

export const pageAssets: Record<string, { path: string; type: string }> = {
  'echarts.min.js': {
    path: require.resolve('echarts/dist/echarts.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'charts.js': {
    path: fileURLToPath(new URL('./charts.js', import.meta.url)),
    type: 'text/javascript; charset=utf-8',
  },
  'report.css': {
    path: fileURLToPath(new URL('./report.css', import.meta.url)),
    type: 'text/css; charset=utf-8',
  },
};

const cache = new Map<string, Buffer>();

export function readAsset(name: string): { body: Buffer; type: string } | null {
  // Own names only: `valueOf` or `constructor` are on every object's prototype (found by fuzzing).
  if (!Object.hasOwn(pageAssets, name)) return null;
  const asset = pageAssets[name]!;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(asset.path);
    cache.set(name, body);
  }
  return { body, type: asset.type };
}
