// What the guide's pages change in mdBook's own scripts, without forking them
// (site/assets/book-adapter.js). Written against mdBook 0.5.4: it relies on
// book.js calling `hljs.configure` then `hljs.highlightBlock` for each block
// and adding the class `hljs` to every `code` outside a heading,
// `new ClipboardJS(selector, {text})` with `on('success'|'error')`, setting
// `window.onunload` and `aria-expanded` on #mdbook-sidebar-toggle, and on
// toc.js waiting for DOMContentLoaded. index.hbs runs it after highlight.js and
// before toc.js and book.js, all after the page's first paint:
// - `DOMContentLoaded`: toc.js fills "on this page" (the chapter's sections
//   in the sidebar) and marks the section in view on that event, which has
//   long fired when it runs. A listener for it added once the document is
//   parsed runs soon after, in a task of its own once a frame has laid out
//   the sidebar (afterNextFrame, after-first-paint.js): in toc.js's task,
//   filling the sidebar, the list and reading the headings' positions made
//   one long task on a slow phone.
// - `window.onunload`: book.js sets an empty handler ("back button cache"),
//   deprecated, and it keeps pages out of the back/forward cache. Ignored.
// - `aria-expanded` on the sidebar toggle, a <label>: ARIA does not allow it
//   there (its `title` names it). Not set.
// - `ClipboardJS`: the copy buttons use the Clipboard API (a secure context:
//   http://localhost and file:// are), else a hidden textarea; no
//   clipboard.min.js is loaded.
// - the class `hljs` that book.js adds to every `code` element but a
//   heading's (inline code gets padding and colours) is added here, so the
//   page restyles in a frame of its own instead of in book.js's task, where
//   reading the menu bar's position lays the whole page out.
// - `hljs.highlightBlock`: the blocks are highlighted after the first frame,
//   a few at a time in 4 ms slices (a long block alone takes longer; the
//   slices stay under the 50 ms of a "long task" on a phone 4x slower), with highlight.js 10.7's `highlightElement`; then
//   `<html data-highlighted="done">` and an `mdbook-highlighted` event
//   (site/assets/code-lines.js waits for it), in a task of their own.
// - the search (elasticlunr, mark.js, searcher.js: ~55 KB) is loaded on first
//   use: the search button, `s` or `/`, or a page opened with `?search=` or
//   `?highlight=` (a search result); the request that loaded it is replayed.
(function () {
  'use strict';

  var late = [];
  function runLate() {
    late.shift()();
    if (late.length) { afterNextFrame(runLate); }
  }
  var addEventListener = document.addEventListener;
  document.addEventListener = function (type, listener, options) {
    if (type === 'DOMContentLoaded' && document.readyState !== 'loading' && typeof listener === 'function') {
      late.push(function () { listener.call(document, new Event(type)); });
      if (late.length === 1) { afterNextFrame(runLate); }
      return;
    }
    addEventListener.call(document, type, listener, options);
  };

  // The class book.js gives every code element but a heading's (above).
  Array.prototype.forEach.call(document.querySelectorAll('code'), function (node) {
    if (!node.parentElement.classList.contains('header')) { node.classList.add('hljs'); }
  });

  Object.defineProperty(window, 'onunload', { configurable: true, get: function () { return null; }, set: function () {} });

  var toggle = document.getElementById('mdbook-sidebar-toggle');
  if (toggle) {
    toggle.setAttribute = function (name, value) {
      if (name !== 'aria-expanded') { Element.prototype.setAttribute.call(this, name, value); }
    };
  }

  window.ClipboardJS = function (selector, options) {
    var handlers = {};
    function copy(text) {
      if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
      return new Promise(function (resolve, reject) {
        var area = document.createElement('textarea');
        area.value = text;
        area.setAttribute('readonly', '');
        area.style.position = 'fixed';
        area.style.opacity = '0';
        document.body.appendChild(area);
        area.select();
        var ok = document.execCommand('copy');
        area.remove();
        if (ok) { resolve(); } else { reject(new Error('copy refused')); }
      });
    }
    document.addEventListener('click', function (e) {
      var trigger = e.target.closest && e.target.closest(selector);
      if (!trigger) { return; }
      var event = { trigger: trigger, clearSelection: function () {} };
      copy(options.text(trigger)).then(function () {
        if (handlers.success) { handlers.success(event); }
      }, function () {
        if (handlers.error) { handlers.error(event); }
      });
    });
    this.on = function (name, handler) { handlers[name] = handler; return this; };
  };

  if (window.hljs) {
    var blocks = [];
    var next = 0;
    var done = function () {
      document.documentElement.dataset.highlighted = 'done';
      document.dispatchEvent(new Event('mdbook-highlighted'));
    };
    var slice = function () {
      var until = performance.now() + 4;
      while (next < blocks.length && performance.now() < until) { hljs.highlightElement(blocks[next++]); }
      if (next < blocks.length) { setTimeout(slice, 0); } else { afterNextFrame(done); }
    };
    // book.js configures hljs, then hands it every block in the same task.
    var configure = hljs.configure;
    hljs.configure = function (options) {
      configure.call(hljs, options);
      requestAnimationFrame(function () { setTimeout(slice, 0); });
    };
    hljs.highlightBlock = function (block) { blocks.push(block); };
  }

  (function searchOnDemand() {
    var scripts = window.mdbook_search_scripts;
    var icon = document.getElementById('mdbook-search-toggle');
    if (!scripts || !icon) { return; }
    var loading = null;
    function load() {
      if (!loading) {
        loading = Promise.all(scripts.map(function (src) {
          return new Promise(function (resolve, reject) {
            var script = document.createElement('script');
            script.src = src;
            script.async = false; // in order: searcher.js needs the other two
            script.onload = resolve;
            script.onerror = function () { reject(new Error('could not load ' + src)); };
            document.head.appendChild(script);
          });
        }));
        document.removeEventListener('keydown', onKey);
        icon.removeEventListener('click', onClick);
      }
      return loading;
    }
    function openSearch() {
      load().then(function () { icon.click(); }, function (error) { console.error(error.message); });
    }
    function onClick(e) {
      e.stopImmediatePropagation();
      openSearch();
    }
    function onKey(e) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey ||
          e.target.type === 'textarea' || e.target.type === 'text' ||
          (window.mdbook_something_else_has_focus && window.mdbook_something_else_has_focus(e)) || (e.key !== 's' && e.key !== '/')) {
        return;
      }
      e.preventDefault();
      openSearch();
    }
    if (/[?&](search|highlight)=/.test(window.location.search)) {
      load();
    } else {
      icon.addEventListener('click', onClick);
      document.addEventListener('keydown', onKey);
    }
  })();
})();
