// Long code lines wrap with a hanging indent (site/assets/code-lines.js).
// CSS can only indent the first line of a block, so each line of a code
// block becomes its own element: its wrapped continuation is indented past
// the line's own indentation. Runs once book.js has highlighted the blocks
// (its `mdbook-highlighted` event); spans of the highlighter that cross a line
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
  // A few blocks at a time, yielding between 8 ms slices (no long task, even
  // on a phone 4x slower: a task over 50 ms blocks input).
  function run() {
    var blocks = Array.prototype.filter.call(document.querySelectorAll('main pre > code'), function (code) {
      return !code.classList.contains('wrapped-lines') && !code.closest('pre.mermaid');
    });
    var next = 0;
    (function slice() {
      var until = performance.now() + 8;
      while (next < blocks.length && performance.now() < until) { splitLines(blocks[next++]); }
      if (next < blocks.length) {
        setTimeout(slice, 0);
      } else {
        document.documentElement.dataset.codeLines = 'done';
      }
    })();
  }
  // book.js highlights in slices too, and says when it is done.
  if (document.documentElement.dataset.highlighted === 'done') {
    run();
  } else {
    document.addEventListener('mdbook-highlighted', run, { once: true });
  }
})();
