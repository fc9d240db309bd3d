// The guide's diagrams are drawn at build time (site/src/diagrams); this only
// opens one full size and closes it again (button, Escape or a click on it),
// for diagrams that are too big for the column (site/assets/diagrams.js).
(function () {
  'use strict';
  function toggle(figure, open) {
    var button = figure.querySelector('.diagram-zoom');
    figure.classList.toggle('zoomed', open);
    document.documentElement.classList.toggle('diagram-zoomed', open);
    if (button) {
      button.setAttribute('aria-expanded', String(open));
      button.setAttribute('aria-label', open ? 'Close the full-size diagram' : 'Show the diagram full size');
      if (open) { button.focus(); }
    }
  }
  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('.diagram-zoom');
    var figure = e.target.closest && e.target.closest('.diagram');
    if (button) {
      toggle(figure, !figure.classList.contains('zoomed'));
    } else if (figure && figure.classList.contains('zoomed')) {
      toggle(figure, false);
    }
  });
  document.addEventListener('keydown', function (e) {
    var open = document.querySelector('.diagram.zoomed');
    if (open && e.key === 'Escape') {
      e.stopPropagation();
      toggle(open, false);
    }
  }, true);
})();
