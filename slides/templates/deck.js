// The deck's controls (slides/templates/deck.js), inlined into the page.
// Plain JavaScript, no framework, no network. Keys: arrows, Space, PageUp/Down,
// Home/End, o (overview), f (fullscreen), p (presenter view); touch swipes.
(function () {
  'use strict';
  var W = 1280, H = 720;
  var frame = document.getElementById('frame');
  var slides = Array.prototype.slice.call(frame.querySelectorAll(':scope > .slide'));
  var total = slides.length;
  var state = { idx: 0, step: 0 };
  var params = new URLSearchParams(window.location.search);
  var isPresenter = params.has('presenter');
  var nextFrame = null;
  var peer = null; // the other window (presenter or audience), for postMessage
  var channel = null;
  var DECK_ID = 'k8s-deck:' + window.location.pathname;

  function stepsOf(i) { return parseInt(slides[i].getAttribute('data-steps') || '0', 10); }

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
    if (s.idx < total - 1) { return { idx: s.idx + 1, step: 0 }; }
    return null;
  }

  function preceding(s) {
    if (s.step > 0) { return { idx: s.idx, step: s.step - 1 }; }
    if (s.idx > 0) { return { idx: s.idx - 1, step: stepsOf(s.idx - 1) }; }
    return null;
  }

  function render() {
    showIn(frame, state);
    document.getElementById('progress-bar').style.width =
      (total > 1 ? (state.idx / (total - 1)) * 100 : 100) + '%';
    document.getElementById('slide-number').textContent = (state.idx + 1) + ' / ' + total;
    if (isPresenter) {
      var next = following(state);
      if (nextFrame) {
        if (next) { showIn(nextFrame, next); } else { showIn(nextFrame, { idx: -1, step: 0 }); }
      }
      var notes = slides[state.idx].querySelector('.notes');
      document.getElementById('p-notes').innerHTML = notes ? notes.innerHTML : '<p><em>No notes.</em></p>';
      document.getElementById('p-count').textContent = 'Slide ' + (state.idx + 1) + ' / ' + total +
        (stepsOf(state.idx) ? ' · step ' + state.step + ' / ' + stepsOf(state.idx) : '');
    }
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

  // --- keeping the audience and presenter windows in sync -------------------
  function broadcast() {
    var msg = { deck: DECK_ID, type: 'state', idx: state.idx, step: state.step };
    if (channel) {
      try { channel.postMessage(msg); } catch (e) { /* closed */ }
    }
    if (peer && !peer.closed) {
      try { peer.postMessage(msg, '*'); } catch (e) { /* gone */ }
    }
  }

  function receive(data) {
    if (!data || data.deck !== DECK_ID) { return; }
    if (data.type === 'state' && (data.idx !== state.idx || data.step !== state.step)) {
      go({ idx: data.idx, step: data.step }, true);
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
    el.style.transform = 'translate(' + (w - W * scale) / 2 + 'px,' + (h - H * scale) / 2 + 'px) scale(' + scale + ')';
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

  // --- input -----------------------------------------------------------------
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var overview = document.body.classList.contains('overview');
    switch (e.key) {
      case 'ArrowRight': case 'ArrowDown': case 'PageDown':
        go(overview ? { idx: Math.min(state.idx + 1, total - 1), step: 0 } : following(state)); break;
      case ' ': case 'Spacebar':
        go(e.shiftKey ? preceding(state) : following(state)); break;
      case 'ArrowLeft': case 'ArrowUp': case 'PageUp':
        go(overview ? { idx: Math.max(state.idx - 1, 0), step: 0 } : preceding(state)); break;
      case 'Home': go({ idx: 0, step: 0 }); break;
      case 'End': go({ idx: total - 1, step: stepsOf(total - 1) }); break;
      case 'o': case 'O': toggleOverview(); break;
      case 'Escape': case 'Enter':
        if (!overview) { return; }
        toggleOverview(false); break;
      case 'f': case 'F': toggleFullscreen(); break;
      case 'p': case 'P': if (!isPresenter) { openPresenter(); } break;
      default: return;
    }
    e.preventDefault();
  });

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
  document.getElementById('btn-presenter').addEventListener('click', openPresenter);
  document.getElementById('btn-fullscreen').addEventListener('click', toggleFullscreen);

  // --- presenter view ----------------------------------------------------------
  function startTimer() {
    var timer = document.getElementById('p-timer');
    var clock = document.getElementById('p-clock');
    var started = Date.now(), pausedAt = null;
    function pad(n) { return (n < 10 ? '0' : '') + n; }
    function tick() {
      var now = pausedAt || Date.now();
      var s = Math.floor((now - started) / 1000);
      timer.textContent = (s >= 3600 ? Math.floor(s / 3600) + ':' : '') + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60);
      var d = new Date();
      clock.textContent = pad(d.getHours()) + ':' + pad(d.getMinutes());
    }
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
    startTimer();
    if (channel) { channel.postMessage({ deck: DECK_ID, type: 'hello' }); }
  }

  // --- start ---------------------------------------------------------------------
  // (Diagrams arrive drawn, as inline SVG: nothing to wait for.)
  // Code: the guide's highlight.js, for the languages it knows.
  if (window.hljs) {
    Array.prototype.forEach.call(frame.querySelectorAll('pre.code code[class^="language-"]'), function (el) {
      var lang = el.className.replace(/^language-/, '');
      if (window.hljs.getLanguage(lang)) { window.hljs.highlightBlock(el); }
    });
  }

  state = parseHash();
  if (isPresenter) { setupPresenter(); }
  render();
  layout();
  document.documentElement.dataset.deck = 'ready';
})();
