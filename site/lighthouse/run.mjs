// Lighthouse on the built site, served statically (like `python3 -m http.server`:
// no compression, no cache headers), the median of 3 runs per page with the
// mobile and the desktop presets. Run by `make bench-site` (site/site.mk), which
// installs lighthouse from npm into a cache folder first.
//
//   node run.mjs SITE_DIR LIGHTHOUSE_BIN CHROMIUM BENCHMARKS.md
//
// Replaces only the "## Site in Lighthouse" section of BENCHMARKS.md.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import os from 'node:os';

const [siteArg, lighthouse, chromium, benchmarks] = process.argv.slice(2);
const siteDir = path.resolve(siteArg);
const PAGES = ['index.html', 'walkthrough/self-healing.html', 'slides/index.html'];
const RUNS = 3;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.txt': 'text/plain' };

const server = createServer((req, res) => {
  let file = path.join(siteDir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (existsSync(file) && statSync(file).isDirectory()) { file = path.join(file, 'index.html'); }
  if (!file.startsWith(path.resolve(siteDir)) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rows = [];
for (const page of PAGES) {
  for (const preset of ['mobile', 'desktop']) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(os.tmpdir(), `lh-${process.pid}-${rows.length}-${i}.json`);
      const args = [base + page, '--quiet', '--output=json', `--output-path=${out}`,
        '--only-categories=performance,accessibility,best-practices',
        '--chrome-flags=--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync'];
      if (preset === 'desktop') { args.push('--preset=desktop'); }
      // Asynchronously: this process serves the pages meanwhile. Lighthouse
      // may exit non-zero on a warning; only a missing report is a failure.
      try { await promisify(execFile)(lighthouse, args, { env: { ...process.env, CHROME_PATH: chromium } }); } catch (e) { /* see below */ }
      if (!existsSync(out)) { console.error(`lighthouse wrote no report for ${page} (${preset})`); process.exit(1); }
      const r = JSON.parse(readFileSync(out, 'utf8'));
      if (r.runtimeError) { console.error(`lighthouse could not test ${page} (${preset}): ${r.runtimeError.message}`); process.exit(1); }
      const score = (c) => Math.round((r.categories[c]?.score ?? 0) * 100);
      runs.push({ perf: score('performance'), a11y: score('accessibility'), bp: score('best-practices'),
        lcp: r.audits['largest-contentful-paint'].numericValue, tbt: r.audits['total-blocking-time'].numericValue,
        bytes: r.audits['total-byte-weight'].numericValue });
    }
    const m = (k) => median(runs.map((r) => r[k]));
    rows.push({ page, preset, perf: m('perf'), a11y: m('a11y'), bp: m('bp'), lcp: m('lcp'), tbt: m('tbt'), bytes: m('bytes') });
    console.log(`${page} ${preset}: performance ${m('perf')}, accessibility ${m('a11y')}, best practices ${m('bp')}, ${(m('bytes') / 1024).toFixed(0)} KB`);
  }
}
server.close();

const verdict = (ok) => (ok ? 'met' : '**missed**');
const table = rows.map((r) => {
  const perfTarget = r.preset === 'mobile' ? 95 : 100;
  const byteTarget = r.page.startsWith('slides/') ? 300 : r.page === 'index.html' ? null : 400;
  const kb = r.bytes / 1024;
  return `| ${r.page} | ${r.preset} | ${r.perf} (≥ ${perfTarget}: ${verdict(r.perf >= perfTarget)}) | ${r.a11y} (100: ${verdict(r.a11y >= 100)}) | ${r.bp} (≥ 95: ${verdict(r.bp >= 95)}) | ${(r.lcp / 1000).toFixed(1)} s | ${Math.round(r.tbt)} ms | ${kb.toFixed(0)} KB${byteTarget ? ` (≤ ${byteTarget}: ${verdict(kb <= byteTarget)})` : ''} |`;
}).join('\n');
const lhVersion = execFileSync(lighthouse, ['--version']).toString().trim();
const chromeVersion = execFileSync(chromium, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
const section = `## Site in Lighthouse

\`make bench-site\`: Lighthouse ${lhVersion} on ${chromeVersion}, the built site served statically
(no compression, like \`python3 -m http.server\`), median of ${RUNS} runs per page and preset
(mobile: simulated slow 4G and 4x slower CPU; desktop preset). Bytes: everything the page loads
(fonts included). Run on ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.
What holds back a missed target: site/README.md, "Lighthouse".

| page | preset | performance | accessibility | best practices | LCP | TBT | bytes |
|---|---|---|---|---|---:|---:|---:|
${table}
`;
let text = existsSync(benchmarks) ? readFileSync(benchmarks, 'utf8') : '# Benchmarks\n';
const lines = text.split('\n');
const start = lines.findIndex((l) => l.trimEnd() === '## Site in Lighthouse');
if (start < 0) {
  text = text.trimEnd() + '\n\n' + section;
} else {
  let end = lines.slice(start + 1).findIndex((l) => l.startsWith('## ') || l.startsWith('# '));
  end = end < 0 ? lines.length : start + 1 + end;
  text = [...lines.slice(0, start), ...section.trimEnd().split('\n'), '', ...lines.slice(end)].join('\n').trimEnd() + '\n';
}
writeFileSync(benchmarks, text);
console.log(`Updated the "Site in Lighthouse" section of ${benchmarks}.`);
