// Builds site/theme/highlight.js: highlight.js with only the languages the
// guide, the deck and the source appendix use. mdBook's own build carries
// dozens of languages (138 KB, loaded by every page); this one is a fraction.
// Run by site/assets/highlight/build.sh (npm packages pinned there); node is
// needed only to regenerate the file, never to build or read the site.
//
//   node build.mjs NODE_MODULES OUT_FILE
//
// The npm package holds CommonJS files (lib/core.js, lib/languages/*.js); each
// is wrapped in a function that gives it a `module`, the languages are
// registered, and terser minifies the whole. Same major version as mdBook's
// (10.x): book.js calls hljs.highlightBlock and hljs.configure({tabReplace}),
// and the themes' highlight CSS styles its `hljs-*` classes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Fence languages in docs/ and slides/ (sh, console, make, text, toml are
// aliases of bash, shell, makefile, plaintext, ini) and the appendix's
// (site/src/sources_appendix.rs, `language`).
export const LANGUAGES = ['bash', 'shell', 'yaml', 'json', 'rust', 'dockerfile', 'makefile', 'ini',
  'markdown', 'plaintext'];

const [modules, out] = process.argv.slice(2);
const hljsDir = path.join(modules, 'highlight.js');
const { version } = JSON.parse(readFileSync(path.join(hljsDir, 'package.json'), 'utf8'));
const wrap = (file) => `(function () { var module = { exports: {} }, exports = module.exports;\n${readFileSync(file, 'utf8')}\nreturn module.exports; })()`;
let source = `var hljs = ${wrap(path.join(hljsDir, 'lib/core.js'))};\n`;
for (const lang of LANGUAGES) {
  source += `hljs.registerLanguage(${JSON.stringify(lang)}, ${wrap(path.join(hljsDir, 'lib/languages', `${lang}.js`))});\n`;
}
const { minify } = await import(path.resolve(modules, 'terser/main.js'));
const { code } = await minify(source, { ecma: 2018, compress: true, mangle: true });
const header = `/*
  Highlight.js ${version} with ${LANGUAGES.join(', ')} only.
  Built by site/assets/highlight/build.sh from the npm package highlight.js@${version}.
  License: BSD-3-Clause (site/assets/highlight/LICENSE)
  Copyright (c) 2006, Ivan Sagalaev
*/
`;
writeFileSync(out, header + code + '\n');
console.log(`wrote ${out}: ${(header.length + code.length) / 1000} kB`);
