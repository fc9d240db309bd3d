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
