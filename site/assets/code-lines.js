// Long code lines wrap with a hanging indent (site/assets/code-lines.js).
// CSS can only indent the first line of a block, so each line of a code
// block becomes its own element: its wrapped continuation is indented past
// the line's own indentation. Runs after mdBook's book.js has highlighted the
// blocks (this script is deferred); spans of the highlighter that cross a line
// break are closed and reopened. The text (and so the copy button's text) is
// unchanged: the newlines stay between the line elements.
(function () {
  'use strict';
  function splitLines(code) {
    var html = code.innerHTML;
    var open = [];
    var out = '<span class="line">';
    var re = /(<\/?span[^>]*>)|([^<]+)|(<)/g;
    var m;
    while ((m = re.exec(html)) !== null) {
      if (m[1]) {
        if (m[1].charAt(1) === '/') { open.pop(); } else { open.push(m[1]); }
        out += m[1];
      } else {
        var parts = (m[2] || m[3]).split('\n');
        for (var i = 0; i < parts.length; i++) {
          if (i > 0) {
            out += open.map(function () { return '</span>'; }).join('') + '</span>\n<span class="line">' + open.join('');
          }
          out += parts[i];
        }
      }
    }
    out += '</span>';
    code.innerHTML = out;
    Array.prototype.forEach.call(code.querySelectorAll(':scope > .line'), function (line) {
      var indent = /^ */.exec(line.textContent)[0].length;
      if (indent) { line.style.setProperty('--indent', indent + 'ch'); }
    });
    code.classList.add('wrapped-lines');
  }
  function run() {
    Array.prototype.forEach.call(document.querySelectorAll('main pre > code'), function (code) {
      if (!code.classList.contains('wrapped-lines') && !code.closest('pre.mermaid')) { splitLines(code); }
    });
    document.documentElement.dataset.codeLines = 'done';
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', run);
  } else {
    run();
  }
})();
