// The deck's controls (slides/templates/deck.js), inlined into the page.
// Plain JavaScript, no framework; nothing from the network (the guide's
// highlight.js comes from the site itself, after the first paint). Keys
// (also listed by `?` in the deck and in slides/README.md): arrows, Space,
// PageUp/Down, Home/End, a number then Enter, o (overview), a (optional
// slides), b or . (blank), f (fullscreen), p (presenter view), ? (help); in
// the presenter view j/k (scroll the notes), +/- (notes size), t (timer);
// touch swipes.
//
// Optional slides (`optional: true` in deck.md, class `optional`) are
// skipped by the talk: next and previous jump over them, and the slide
// number, the progress bar and the presenter's pace count only the slides
// shown. `a` includes them (in both windows, remembered by the browser). The
// URL fragment is a slide's place in deck.md, every slide counted, so a link
// to an optional slide still opens it.
(function () {
  'use strict';
  var W = 1280, H = 720;
  var frame = document.getElementById('frame');
  var slides = Array.prototype.slice.call(frame.querySelectorAll(':scope > .slide'));
  var total = slides.length;
  var state = { idx: 0, step: 0 };
  var blanked = false;
  var typed = ''; // digits typed for "number, then Enter"
  var typedTimer = null;
  var params = new URLSearchParams(window.location.search);
  var isPresenter = params.has('presenter');
  var nextFrame = null;
  var peer = null; // the other window (presenter or audience), for postMessage
  var channel = null;
  var DECK_ID = 'k8s-deck:' + window.location.pathname;
  var OPTIONAL_KEY = DECK_ID + ':optional';
  var withOptional = false; // are the optional slides part of the talk?
  try { withOptional = window.localStorage.getItem(OPTIONAL_KEY) === 'on'; } catch (e) { /* private mode */ }
  var tick = null; // the presenter view's clock and pace, once started

  function stepsOf(i) { return parseInt(slides[i].getAttribute('data-steps') || '0', 10); }

  // --- the slides the talk shows ----------------------------------------------
  function isShown(i) { return withOptional || !slides[i].classList.contains('optional'); }
  function shownList() {
    var out = [];
    for (var i = 0; i < total; i++) { if (isShown(i)) { out.push(i); } }
    return out;
  }
  // The number of slide i in the talk (1-based); for an optional slide
  // skipped, the number of the shown slide before it.
  function placeOf(i) {
    var n = 0;
    for (var j = 0; j <= i; j++) { if (isShown(j)) { n++; } }
    return n;
  }
  function nextShown(i) {
    for (var j = i + 1; j < total; j++) { if (isShown(j)) { return j; } }
    return -1;
  }
  function prevShown(i) {
    for (var j = i - 1; j >= 0; j--) { if (isShown(j)) { return j; } }
    return -1;
  }

  // Marks the slides skipped, labels the overview's thumbnails with the
  // number they have in the talk ("optional" when skipped), and names the
  // setting on its buttons.
  function markSkipped() {
    var n = 0;
    slides.forEach(function (slide, i) {
      var optional = slide.classList.contains('optional');
      var shown = isShown(i);
      if (shown) { n++; }
      slide.classList.toggle('skipped', !shown);
      slide.setAttribute('data-label', shown ? n + (optional ? ' · optional' : '') : 'optional');
      var after = slide.nextElementSibling;
      if (after && after.classList.contains('notes-page')) { after.classList.toggle('skipped', !shown); }
    });
    ['btn-optional', 'p-optional'].forEach(function (id) {
      var b = document.getElementById(id);
      b.textContent = 'Optional: ' + (withOptional ? 'included' : 'skipped');
      b.setAttribute('aria-pressed', withOptional ? 'true' : 'false');
    });
  }

  function storeOptional(on) {
    withOptional = !!on;
    try { window.localStorage.setItem(OPTIONAL_KEY, withOptional ? 'on' : 'off'); } catch (e) { /* private mode */ }
    markSkipped();
  }

  function setOptional(on) {
    storeOptional(on);
    render();
    broadcast();
  }

  function parseHash() {
    var m = /^#(\d+)(?:\.(\d+))?$/.exec(window.location.hash);
    if (!m) { return { idx: 0, step: 0 }; }
    var idx = Math.min(Math.max(parseInt(m[1], 10) - 1, 0), total - 1);
    var step = Math.min(parseInt(m[2] || '0', 10), stepsOf(idx));
    return { idx: idx, step: step };
  }

  function hashOf(s) { return '#' + (s.idx + 1) + (s.step > 0 ? '.' + s.step : ''); }

  function showIn(root, s) {
    var list = root.querySelectorAll(':scope > .slide');
    for (var i = 0; i < list.length; i++) {
      list[i].classList.toggle('current', i === s.idx);
      var steps = list[i].querySelectorAll('.step');
      for (var j = 0; j < steps.length; j++) {
        var n = parseInt(steps[j].getAttribute('data-step'), 10);
        steps[j].classList.toggle('future', i === s.idx ? n > s.step : i > s.idx);
      }
    }
  }

  function following(s) {
    if (s.step < stepsOf(s.idx)) { return { idx: s.idx, step: s.step + 1 }; }
    var j = nextShown(s.idx);
    return j < 0 ? null : { idx: j, step: 0 };
  }

  function preceding(s) {
    if (s.step > 0) { return { idx: s.idx, step: s.step - 1 }; }
    var j = prevShown(s.idx);
    return j < 0 ? null : { idx: j, step: stepsOf(j) };
  }

  function render() {
    showIn(frame, state);
    var count = shownList().length;
    var at = placeOf(state.idx);
    var shown = isShown(state.idx);
    document.getElementById('progress-bar').style.width =
      (count > 1 ? (Math.max(at - 1, 0) / (count - 1)) * 100 : 100) + '%';
    document.getElementById('slide-number').textContent =
      (shown ? at : 'optional · after ' + at) + ' / ' + count;
    document.getElementById('blank').hidden = !blanked;
    if (isPresenter) {
      var next = following(state);
      if (nextFrame) {
        if (next) { showIn(nextFrame, next); } else { showIn(nextFrame, { idx: -1, step: 0 }); }
      }
      document.getElementById('p-end').hidden = !!next;
      var notes = slides[state.idx].querySelector('.notes');
      var notesBox = document.getElementById('p-notes');
      var html = notes ? notes.innerHTML : '<p><em>No notes.</em></p>';
      if (notesBox.getAttribute('data-slide') !== String(state.idx)) {
        notesBox.innerHTML = html;
        notesBox.setAttribute('data-slide', String(state.idx));
        notesBox.scrollTop = 0;
      }
      showMoreNotes();
      document.getElementById('p-count').textContent =
        (shown ? 'Slide ' + at + ' of ' + count + ' shown' : 'Optional slide, skipped (after slide ' + at + ' of ' + count + ' shown)') +
        (stepsOf(state.idx) ? ' · step ' + state.step + ' / ' + stepsOf(state.idx) : '') +
        (blanked ? ' · screen blanked (any key)' : '') + (typed ? ' · go to ' + typed + ' ⏎' : '');
    }
    if (tick) { tick(); }
    highlightShown();
    if (window.location.hash !== hashOf(state)) {
      window.history.replaceState(null, '', hashOf(state));
    }
    if (document.body.classList.contains('overview')) {
      slides[state.idx].scrollIntoView({ block: 'nearest' });
    }
  }

  function go(s, fromPeer) {
    if (!s) { return; }
    state = { idx: s.idx, step: s.step };
    render();
    if (!fromPeer) { broadcast(); }
  }

  function setBlank(on) {
    blanked = on;
    render();
    broadcast();
  }

  // --- keeping the audience and presenter windows in sync -------------------
  function broadcast() {
    var msg = { deck: DECK_ID, type: 'state', idx: state.idx, step: state.step, blank: blanked, optional: withOptional };
    if (channel) {
      try { channel.postMessage(msg); } catch (e) { /* closed */ }
    }
    if (peer && !peer.closed) {
      try { peer.postMessage(msg, '*'); } catch (e) { /* gone */ }
    }
  }

  function receive(data) {
    if (!data || data.deck !== DECK_ID) { return; }
    if (data.type === 'state') {
      var optionalChanged = typeof data.optional === 'boolean' && data.optional !== withOptional;
      if (optionalChanged) { storeOptional(data.optional); }
      if (data.idx !== state.idx || data.step !== state.step || !!data.blank !== blanked) {
        blanked = !!data.blank;
        go({ idx: data.idx, step: data.step }, true);
      } else if (optionalChanged) {
        render();
      }
    } else if (data.type === 'hello' && !isPresenter) {
      broadcast();
    }
  }

  if ('BroadcastChannel' in window) {
    try {
      channel = new BroadcastChannel(DECK_ID);
      channel.onmessage = function (e) { receive(e.data); };
    } catch (e) { channel = null; }
  }
  // Fallback (e.g. file:// where a BroadcastChannel may not reach the other window).
  window.addEventListener('message', function (e) {
    if (e.source && (e.source === peer || e.source === window.opener)) { receive(e.data); }
  });

  function openPresenter() {
    var url = window.location.pathname + '?presenter' + hashOf(state);
    peer = window.open(url, 'deck-presenter', 'width=1280,height=800');
  }

  // --- scaling the 16:9 frame into its box ----------------------------------
  function fit(el, box) {
    var w = box ? box.clientWidth : window.innerWidth;
    var h = box ? box.clientHeight : window.innerHeight;
    var scale = Math.min(w / W, h / H);
    var x = (w - W * scale) / 2, y = (h - H * scale) / 2;
    el.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')';
    if (!box) {
      // The progress bar and number sit on the slide, not on the letterbox.
      var chrome = document.querySelector('.chrome');
      chrome.style.left = x + 'px'; chrome.style.top = y + 'px';
      chrome.style.width = W * scale + 'px'; chrome.style.height = H * scale + 'px';
      // Shown once placed: drawn at its first, full-window place, it would
      // jump onto the slide (a layout shift).
      chrome.classList.add('placed');
    }
  }

  function layout() {
    if (document.body.classList.contains('overview')) { return; }
    if (isPresenter) {
      fit(frame, document.getElementById('p-current'));
      if (nextFrame) { fit(nextFrame, document.getElementById('p-next')); }
    } else {
      fit(frame, null);
    }
  }

  // --- overview, fullscreen --------------------------------------------------
  function toggleOverview(on) {
    var want = on === undefined ? !document.body.classList.contains('overview') : on;
    document.body.classList.toggle('overview', want);
    if (want) {
      frame.style.transform = '';
      slides[state.idx].scrollIntoView({ block: 'center' });
    } else {
      layout();
    }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused */ });
    }
  }

  slides.forEach(function (slide, i) {
    slide.addEventListener('click', function () {
      if (document.body.classList.contains('overview')) {
        toggleOverview(false);
        go({ idx: i, step: 0 });
      }
    });
  });

  // --- help, "number then Enter", presenter notes --------------------------
  function toggleHelp(on) {
    var help = document.getElementById('help');
    help.hidden = on === undefined ? !help.hidden : !on;
  }

  function showTyped() {
    var box = document.getElementById('goto');
    box.hidden = !typed;
    box.textContent = typed ? 'Go to ' + typed + ' ⏎' : '';
    if (isPresenter) { render(); }
    if (typedTimer) { window.clearTimeout(typedTimer); }
    // A forgotten number does not linger: it expires after 3 s.
    typedTimer = typed ? window.setTimeout(function () { typed = ''; showTyped(); }, 3000) : null;
  }

  function showMoreNotes() {
    var box = document.getElementById('p-notes');
    document.getElementById('p-more').hidden = box.scrollTop + box.clientHeight >= box.scrollHeight - 2;
  }

  function scrollNotes(direction) {
    var box = document.getElementById('p-notes');
    box.scrollBy({ top: direction * box.clientHeight * 0.8 });
    showMoreNotes();
  }

  var NOTES_SIZES = [16, 18, 20, 22, 26, 30, 36, 42];
  function notesSize(delta) {
    var key = 'k8s-deck:notes-size';
    var current = parseInt(window.localStorage && window.localStorage.getItem(key) || '22', 10);
    var i = NOTES_SIZES.indexOf(current);
    if (i < 0) { i = 3; }
    i = Math.min(Math.max(i + delta, 0), NOTES_SIZES.length - 1);
    document.getElementById('p-notes').style.setProperty('--notes-size', NOTES_SIZES[i] + 'px');
    try { window.localStorage.setItem(key, String(NOTES_SIZES[i])); } catch (e) { /* private mode */ }
    showMoreNotes();
  }

  // --- input -----------------------------------------------------------------
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var overview = document.body.classList.contains('overview');
    var help = document.getElementById('help');
    if (!help.hidden) {
      if (e.key === 'Escape' || e.key === '?' || e.key === 'Enter') { toggleHelp(false); e.preventDefault(); }
      return;
    }
    if (blanked && e.key !== 'Shift') {
      // Any key brings the slide back (and does nothing else).
      setBlank(false);
      e.preventDefault();
      return;
    }
    if (/^[0-9]$/.test(e.key)) {
      typed = (typed + e.key).slice(0, 4);
      showTyped();
      e.preventDefault();
      return;
    }
    if (e.key === 'Enter' && typed) {
      var n = parseInt(typed, 10);
      typed = '';
      showTyped();
      if (overview) { toggleOverview(false); }
      // The number the slide has in the talk (as on its label), not in deck.md.
      var list = shownList();
      if (n >= 1) { go({ idx: list[Math.min(n, list.length) - 1], step: 0 }); }
      e.preventDefault();
      return;
    }
    if (typed && (e.key === 'Escape' || e.key === 'Backspace')) {
      typed = e.key === 'Backspace' ? typed.slice(0, -1) : '';
      showTyped();
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'ArrowRight': case 'ArrowDown': case 'PageDown':
        go(overview ? { idx: Math.min(state.idx + 1, total - 1), step: 0 } : following(state)); break;
      case ' ': case 'Spacebar':
        go(e.shiftKey ? preceding(state) : following(state)); break;
      case 'ArrowLeft': case 'ArrowUp': case 'PageUp':
        go(overview ? { idx: Math.max(state.idx - 1, 0), step: 0 } : preceding(state)); break;
      case 'Home': go({ idx: shownList()[0], step: 0 }); break;
      case 'End': var last = shownList().pop(); go({ idx: last, step: stepsOf(last) }); break;
      case 'o': case 'O': toggleOverview(); break;
      case 'a': case 'A': setOptional(!withOptional); break;
      case 'Escape': case 'Enter':
        if (!overview) { return; }
        toggleOverview(false); break;
      case 'f': case 'F': toggleFullscreen(); break;
      case 'p': case 'P': if (!isPresenter) { openPresenter(); } break;
      case 'b': case 'B': case '.': setBlank(true); break;
      case '?': toggleHelp(true); break;
      case 'j': case 'J': if (!isPresenter) { return; } scrollNotes(1); break;
      case 'k': case 'K': if (!isPresenter) { return; } scrollNotes(-1); break;
      case '+': case '=': if (!isPresenter) { return; } notesSize(1); break;
      case '-': case '_': if (!isPresenter) { return; } notesSize(-1); break;
      case 't': case 'T': if (!isPresenter) { return; } document.getElementById('p-timer').click(); break;
      default: return;
    }
    e.preventDefault();
  });

  // Controls show while the mouse moves; on a touch screen they stay.
  var controlsTimer = null;
  document.addEventListener('mousemove', function () {
    document.body.classList.add('controls');
    if (controlsTimer) { window.clearTimeout(controlsTimer); }
    controlsTimer = window.setTimeout(function () { document.body.classList.remove('controls'); }, 2500);
  });
  document.addEventListener('touchstart', function () { document.body.classList.add('touch'); }, { passive: true, once: true });
  document.getElementById('help').addEventListener('click', function (e) {
    if (e.target === e.currentTarget) { toggleHelp(false); }
  });
  document.getElementById('blank').addEventListener('click', function () { setBlank(false); });

  var touchX = null, touchY = null;
  document.addEventListener('touchstart', function (e) {
    touchX = e.touches[0].clientX; touchY = e.touches[0].clientY;
  }, { passive: true });
  document.addEventListener('touchend', function (e) {
    if (touchX === null) { return; }
    var dx = e.changedTouches[0].clientX - touchX, dy = e.changedTouches[0].clientY - touchY;
    touchX = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) { go(dx < 0 ? following(state) : preceding(state)); }
  });

  window.addEventListener('hashchange', function () {
    var s = parseHash();
    if (s.idx !== state.idx || s.step !== state.step) { go(s); }
  });
  window.addEventListener('resize', layout);

  document.getElementById('btn-overview').addEventListener('click', function () { toggleOverview(); });
  document.getElementById('btn-optional').addEventListener('click', function () { setOptional(!withOptional); });
  document.getElementById('p-optional').addEventListener('click', function () { setOptional(!withOptional); });
  document.getElementById('btn-presenter').addEventListener('click', openPresenter);
  document.getElementById('btn-fullscreen').addEventListener('click', toggleFullscreen);
  document.getElementById('btn-help').addEventListener('click', function () { toggleHelp(true); });
  document.getElementById('p-smaller').addEventListener('click', function () { notesSize(-1); });
  document.getElementById('p-larger').addEventListener('click', function () { notesSize(1); });
  document.getElementById('p-notes').addEventListener('scroll', showMoreNotes);

  // --- presenter view ----------------------------------------------------------
  // Elapsed time, and with `duration:` in the deck's front matter the time
  // left (or over), the time planned for each slide the talk shows (the
  // duration shared evenly between them) and whether the talk is ahead of or
  // behind them: slide k (1-based) is due from (k - 1) planned slides into
  // the talk, and "on time" allows one slide either way. Optional slides
  // count only while included.
  function startTimer() {
    var timer = document.getElementById('p-timer');
    var clock = document.getElementById('p-clock');
    var left = document.getElementById('p-left');
    var duration = parseInt(document.body.getAttribute('data-duration') || '0', 10) * 60;
    var started = Date.now(), pausedAt = null;
    function pad(n) { return (n < 10 ? '0' : '') + n; }
    function hms(s) { return (s >= 3600 ? Math.floor(s / 3600) + ':' : '') + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60); }
    function mss(s) { s = Math.round(s); return Math.floor(s / 60) + ':' + pad(s % 60); }
    tick = function () {
      var now = pausedAt || Date.now();
      var s = Math.floor((now - started) / 1000);
      timer.textContent = hms(s);
      if (duration) {
        var rest = duration - s;
        var count = shownList().length;
        var per = duration / count;
        // 0-based places in the talk: where we are (a skipped optional
        // slide stands with the shown one before it) and what is due.
        var at = Math.max(placeOf(state.idx) - 1, 0);
        var due = Math.min(Math.floor(s / per), count - 1);
        // No verdict in the first minute (the talk has barely begun).
        var pace = s < 60 ? '' : at > due + 1 ? ' · ahead' : at < due - 1 ? ' · behind (slide ' + (due + 1) + ' due)' : ' · on time';
        left.textContent = (rest >= 0 ? hms(rest) + ' left' : hms(-rest) + ' over') + ' of ' + Math.round(duration / 60) + ' min · ' +
          mss(per) + ' a slide' + pace;
        left.classList.toggle('over', rest < 0);
      }
      var d = new Date();
      clock.textContent = pad(d.getHours()) + ':' + pad(d.getMinutes());
    };
    timer.addEventListener('click', function () {
      if (pausedAt) { started += Date.now() - pausedAt; pausedAt = null; } else { pausedAt = Date.now(); }
      timer.classList.toggle('paused', !!pausedAt);
      tick();
    });
    timer.addEventListener('dblclick', function () { started = Date.now(); if (pausedAt) { pausedAt = started; } tick(); });
    tick();
    window.setInterval(tick, 1000);
  }

  function setupPresenter() {
    document.body.classList.add('presenter');
    var ui = document.getElementById('presenter-ui');
    ui.hidden = false;
    document.getElementById('p-current').appendChild(frame);
    nextFrame = frame.cloneNode(true);
    nextFrame.removeAttribute('id');
    // Slide ids are the URL fragments: the copy must not answer to them. (The
    // diagrams keep theirs: their markers are referenced by id.)
    Array.prototype.forEach.call(nextFrame.querySelectorAll(':scope > .slide'), function (el) { el.removeAttribute('id'); });
    document.getElementById('p-next').appendChild(nextFrame);
    peer = window.opener || null;
    notesSize(0);
    startTimer();
    if (channel) { channel.postMessage({ deck: DECK_ID, type: 'hello' }); }
  }

  // --- start ---------------------------------------------------------------------
  // (Diagrams arrive drawn, as inline SVG: nothing to wait for.)
  // Code: the guide's highlight.js, for the languages it knows. It is
  // fetched once the first slide has painted, not named in the HTML: on a
  // slow phone its 33 KB and its start-up stay off the first paint. Then the
  // slide on screen (and the presenter's next one) is highlighted at once,
  // the others a few blocks at a time in 8 ms slices, the guide's way
  // (site/theme/book.js): no long task. A slide shown before its turn is
  // highlighted when it is shown; printing highlights whatever is left first.
  var CODE = 'pre.code code[class^="language-"]:not(.hljs)';
  function highlightIn(root) {
    if (!window.hljs) { return; }
    Array.prototype.forEach.call(root.querySelectorAll(CODE), function (el) {
      if (window.hljs.getLanguage(el.className.replace(/^language-/, ''))) { window.hljs.highlightElement(el); }
      // Known or not, it is done: the slices do not come back to it.
      el.classList.add('hljs');
    });
  }
  // The whole document: the presenter view's copies of the frame too.
  function highlightShown() {
    Array.prototype.forEach.call(document.querySelectorAll('.slide.current'), highlightIn);
  }
  function highlightRest() {
    // Loaded, yet no highlighter (a proxy answered with a page, say): stop.
    if (!window.hljs) { document.documentElement.dataset.highlighted = 'failed'; return; }
    var until = performance.now() + 8;
    var el;
    while ((el = document.querySelector(CODE)) && performance.now() < until) {
      highlightIn(el.parentNode);
    }
    if (el) { window.setTimeout(highlightRest, 0); } else { document.documentElement.dataset.highlighted = 'done'; }
  }
  function loadHighlighter() {
    var src = document.body.getAttribute('data-highlight-js');
    if (!src || !document.querySelector(CODE)) { document.documentElement.dataset.highlighted = 'done'; return; }
    var script = document.createElement('script');
    script.src = src;
    script.onload = function () { highlightShown(); window.setTimeout(highlightRest, 0); };
    script.onerror = function () { document.documentElement.dataset.highlighted = 'failed'; };
    document.head.appendChild(script);
  }
  window.addEventListener('beforeprint', function () { highlightIn(document); });

  // Slides not shown are not rendered (deck.css, content-visibility), so
  // nothing asks for the diagram font while the first slide paints. Every
  // declared face is loaded once it has painted (afterFirstPaint, inlined
  // before this script: site/assets/after-first-paint.js), with the
  // highlighter: a diagram slide shown later, the overview and printing then
  // find the font there.
  afterFirstPaint(function () {
    if (document.fonts) { document.fonts.forEach(function (face) { face.load().catch(function () {}); }); }
    loadHighlighter();
  });

  // `?notes`: printing puts each slide's speaker notes on a page after it.
  if (params.has('notes') && !isPresenter) {
    slides.forEach(function (slide) {
      var notes = slide.querySelector('.notes');
      if (!notes) { return; }
      var page = document.createElement('section');
      page.className = 'notes-page';
      page.innerHTML = '<p class="notes-of">Notes · slide ' + slide.id + '</p>' + notes.innerHTML;
      slide.parentNode.insertBefore(page, slide.nextSibling);
    });
  }

  // Printing gives every slide, the optional ones too (a handout is read,
  // not presented); `?shown` prints only the slides the talk shows.
  if (params.has('shown')) { document.body.classList.add('print-shown'); }
  markSkipped();

  state = parseHash();
  if (isPresenter) { setupPresenter(); }
  render();
  layout();
  document.documentElement.dataset.deck = 'ready';
})();
