// Long code lines wrap with a hanging indent (site/assets/code-lines.js).
// CSS can only indent the first line of a block, so each line of a code
// block becomes its own element: its wrapped continuation is indented past
// the line's own indentation. Runs once book.js has highlighted the blocks
// (its `mdbook-highlighted` event); spans of the highlighter that cross a line
// break are closed and reopened. The text (and so the copy button's text) is
// unchanged: the newlines stay between the line elements.
// The lines are laid out again in the frame after: all of a chapter's at
// once was the largest task after its first paint (site/README.md,
// "Lighthouse"). So the blocks on screen go first, then the rest, a slice at
// a time (4 ms of script or 100 lines, whichever comes first), each in a task
// of its own after a frame (afterNextFrame, after-first-paint.js) that lays
// out the slice before. `<html data-code-lines="done">` when all are done.
(function () {
  'use strict';
  var later = window.afterNextFrame || function (fn) { window.setTimeout(fn, 0); };
  // One line's element, with its indentation (leading spaces) as `--indent`.
  function line(html, indent) {
    return '<span class="line"' + (indent ? ' style="--indent: ' + indent + 'ch;"' : '') + '>' + html + '</span>';
  }
  function splitLines(code) {
    var html = code.innerHTML;
    var open = [];
    var lines = [];
    var current = '';
    var indent = 0;
    var text = false; // the line has text other than spaces
    var re = /(<\/?span[^>]*>)|([^<]+)|(<)/g;
    var m;
    while ((m = re.exec(html)) !== null) {
      if (m[1]) {
        if (m[1].charAt(1) === '/') { open.pop(); } else { open.push(m[1]); }
        current += m[1];
      } else {
        var parts = (m[2] || m[3]).split('\n');
        for (var i = 0; i < parts.length; i++) {
          if (i > 0) {
            lines.push(line(current + new Array(open.length + 1).join('</span>'), indent));
            current = open.join('');
            indent = 0;
            text = false;
          }
          if (!text) {
            var spaces = /^ */.exec(parts[i])[0].length;
            indent += spaces;
            text = spaces < parts[i].length;
          }
          current += parts[i];
        }
      }
    }
    lines.push(line(current, indent));
    code.innerHTML = lines.join('\n');
    code.classList.add('wrapped-lines');
    return lines.length;
  }
  function onScreen(code) {
    if (document.hidden) { return false; }
    var r = code.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
  }
  function run() {
    var blocks = Array.prototype.filter.call(document.querySelectorAll('main pre > code'), function (code) {
      return !code.classList.contains('wrapped-lines') && !code.closest('pre.mermaid');
    });
    // The page is laid out (a frame has passed since the highlighting): the
    // positions are read without laying it out again.
    var seen = blocks.filter(onScreen);
    var queue = seen.concat(blocks.filter(function (code) { return seen.indexOf(code) < 0; }));
    var next = 0;
    (function slice() {
      var until = performance.now() + 4;
      var lines = 0;
      while (next < queue.length && lines < 100 && performance.now() < until) {
        lines += splitLines(queue[next++]);
      }
      if (next < queue.length) {
        later(slice);
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
