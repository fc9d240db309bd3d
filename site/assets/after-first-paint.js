// afterFirstPaint(fn): runs fn once the page has painted its first text or
// image (site/assets/after-first-paint.js, inlined by the site generator into
// every guide page and into the deck, where their scripts are started).
// Why: what a page fetches before its first paint shares a slow phone's
// network with the text, its stylesheets and its fonts, and Lighthouse's
// model of a slow phone counts it against the first paint. Scripts that only
// add to a page already shown (highlighting, the sidebar's contents, the
// deck's code colours) wait for it. "Two frames later" is not enough: a frame
// can be drawn before the fonts let any text show.
// A page loaded in a background tab paints when it is shown; one with nothing
// contentful never does: then fn runs 3 s after the load event. (Where paint
// timing is missing, two animation frames, which a hidden tab does not run
// until it is shown.)
function afterFirstPaint(fn) {
  var started = false;
  function start() {
    if (!started) { started = true; window.setTimeout(fn, 0); }
  }
  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf('paint') < 0) {
    window.requestAnimationFrame(function () { window.requestAnimationFrame(start); });
    return;
  }
  new PerformanceObserver(function (list, observer) {
    if (list.getEntriesByName('first-contentful-paint').length) { observer.disconnect(); start(); }
  }).observe({ type: 'paint', buffered: true });
  window.addEventListener('load', function () { window.setTimeout(start, 3000); });
}

// afterNextFrame(fn): runs fn in a task of its own once the browser has had a
// frame to lay out and paint what the current task changed (a timer after an
// animation frame), so that the next script starts from a laid-out page
// instead of paying for the previous one's layout in its own task. Used to run
// a guide page's scripts one per task (index.hbs, assets/book-adapter.js): on a
// phone 4x slower, each task stays under the 50 ms of a long task. A hidden
// tab runs no animation frame: there, the timer alone.
function afterNextFrame(fn) {
  if (document.hidden) { window.setTimeout(fn, 0); return; }
  window.requestAnimationFrame(function () { window.setTimeout(fn, 0); });
}
