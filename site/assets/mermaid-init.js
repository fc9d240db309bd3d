// Renders the guide's ```mermaid diagrams (site/assets/mermaid-init.js).
// mermaid.min.js (2.6 MB) is loaded only on pages that have a diagram, from
// the site itself, next to this script: nothing comes from the network.
(function () {
  'use strict';
  var blocks = document.querySelectorAll('pre.mermaid');
  if (blocks.length === 0) {
    return;
  }
  var root = document.documentElement;
  var darkThemes = ['coal', 'navy', 'ayu'];
  function isDark() {
    return darkThemes.some(function (t) { return root.classList.contains(t); });
  }
  var dark = isDark();
  // mdBook's print page calls window.print() 100 ms after loading: make it
  // wait until the diagrams are drawn, so the PDF has them.
  var finished;
  var rendered = new Promise(function (resolve) { finished = resolve; });
  var realPrint = window.print.bind(window);
  window.print = function () { rendered.then(realPrint); };
  var script = document.createElement('script');
  script.src = document.currentScript.src.replace(/mermaid-init\.js(\?.*)?$/, 'mermaid.min.js');
  script.onload = function () {
    window.mermaid.initialize({ startOnLoad: false, theme: dark ? 'dark' : 'default', securityLevel: 'strict' });
    window.mermaid.run({ nodes: blocks }).then(function () {
      root.dataset.mermaid = 'done';
      finished();
    }, function (err) {
      root.dataset.mermaid = 'error';
      console.error('mermaid: a diagram failed to render: ' + ((err && err.message) || err));
      finished();
    });
  };
  script.onerror = function () {
    root.dataset.mermaid = 'error';
    finished();
    console.error('mermaid: could not load ' + script.src);
  };
  document.head.appendChild(script);
  // A switch between a light and a dark mdBook theme re-renders the diagrams
  // in the matching mermaid theme (they are SVG by now, so reload the page).
  new MutationObserver(function () {
    if (isDark() !== dark) {
      window.location.reload();
    }
  }).observe(root, { attributes: true, attributeFilter: ['class'] });
})();
