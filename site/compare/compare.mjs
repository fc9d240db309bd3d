// Side by side: every diagram as we draw it (merman, at build time) and as
// mermaid.js draws it in Chromium. Run by `make diagrams-compare` (site/site.mk),
// which installs mermaid and puppeteer-core from npm into a cache folder first.
//
//   node compare.mjs EXPORT_DIR OUT_DIR NODE_MODULES CHROMIUM
//
// EXPORT_DIR holds diagrams.json + diagrams.css from `site diagrams --dest`.
// Writes OUT_DIR/NN-<file>-<line>.png (left: ours, right: mermaid.js) and
// OUT_DIR/index.html listing them.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [exportDir, outDir, modules, chromium] = process.argv.slice(2).map((a, i) => (i < 3 ? path.resolve(a) : a));
const require = createRequire(path.resolve(modules, 'x.js'));
const puppeteer = require('puppeteer-core');
const mermaidJs = path.resolve(modules, 'mermaid/dist/mermaid.min.js');
const entries = JSON.parse(readFileSync(path.join(exportDir, 'diagrams.json'), 'utf8'));
mkdirSync(outDir, { recursive: true });

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const page = (e) => `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="file://${path.resolve(exportDir, 'diagrams.css')}">
<style>
body { margin: 0; font: 14px "Open Sans", sans-serif; background: #fff; }
#pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; padding: 12px; width: 1800px; }
h2 { font-size: 14px; margin: 0 0 6px; color: #555; }
.cell { border: 1px solid #ddd; padding: 8px; overflow: hidden; }
.diagram svg.dg { width: var(--dg-w); max-width: 100%; height: auto; }
pre.mermaid svg { max-width: 100%; }
</style></head><body><div id="pair">
<div class="cell"><h2>ours (merman, build time): ${escape(e.place)}</h2>${e.figure}</div>
<div class="cell"><h2>mermaid.js ${escape(mermaidVersion())} in Chromium</h2><pre class="mermaid">${escape(e.source)}</pre></div>
</div><script src="file://${mermaidJs}"></script>
<script>mermaid.initialize({ startOnLoad: false, fontFamily: '"Kit Diagram Sans", "Open Sans", sans-serif' });
document.fonts.load('16px "Kit Diagram Sans"').then(() => mermaid.run()).then(() => { document.body.dataset.done = 'yes'; },
  (err) => { document.body.dataset.done = 'error: ' + err.message; });</script></body></html>`;

function mermaidVersion() {
  return JSON.parse(readFileSync(path.join(modules, 'mermaid/package.json'), 'utf8')).version;
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'],
});
const tab = await browser.newPage();
await tab.setViewport({ width: 1830, height: 900 });
const rows = [];
let failed = 0;
for (const [i, e] of entries.entries()) {
  const file = path.join(exportDir, `pair-${i}.html`);
  writeFileSync(file, page(e));
  await tab.goto('file://' + file);
  await tab.waitForFunction('document.body.dataset.done', { timeout: 30000 });
  const done = await tab.evaluate(() => document.body.dataset.done);
  if (done !== 'yes') { failed++; console.error(`${e.place}: mermaid.js: ${done}`); }
  const name = `${String(i + 1).padStart(2, '0')}-${e.place.replace(/[/:]/g, '-').replace(/\.md-/, '-')}.png`;
  await (await tab.$('#pair')).screenshot({ path: path.join(outDir, name) });
  rows.push(`<li><a href="${name}">${escape(e.place)}</a>: ${escape(e.name)}</li>`);
}
await browser.close();
writeFileSync(path.join(outDir, 'index.html'),
  `<!DOCTYPE html><meta charset="utf-8"><title>Diagrams: ours vs mermaid.js</title><ol>${rows.join('\n')}</ol>`);
console.log(`Wrote ${entries.length} pairs (left: ours, right: mermaid.js ${mermaidVersion()}) to ${outDir}/` +
  (failed ? `; mermaid.js failed on ${failed}` : ''));
