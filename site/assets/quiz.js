// The guide's self-check questions (site/assets/quiz.js), loaded after the
// first paint by pages that have a quiz or the Learning checklist's count
// (site/theme/index.hbs). The questions are HTML written at build time
// (site/src/book/quiz.rs): a <fieldset> per question, its options' radio
// buttons or checkboxes, hidden Check and Try again buttons, an empty
// feedback element per option, a live region for the verdict, and a
// <details> holding, per option, whether it is right and why.
//
// Here: Check (the button, or Enter on an option) shows for every option
// whether it is right and its why, says the verdict in the live region and
// remembers the answer in this browser's local storage (one key, a JSON
// object keyed by question id, as the checklist keeps its ticks); a page
// load puts remembered answers back; Try again forgets one. On the
// checklist, the count of each chapter's answered and right questions.
(function () {
  'use strict';
  var KEY = 'k8s-learning-kit/quiz/v1';

  function readState() {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(KEY) || '{}');
      return parsed !== null && typeof parsed === 'object' ? parsed : {};
    } catch (err) {
      // Storage disabled, or a value that is not JSON: start empty.
      return {};
    }
  }

  function writeState(state) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (err) {
      // Storage disabled or full: answers last until the page is left.
    }
  }

  function setUpQuestion(fieldset) {
    var id = fieldset.dataset.quizId;
    var inputs = Array.prototype.slice.call(fieldset.querySelectorAll('.quiz-option input'));
    var answers = fieldset.querySelectorAll('.quiz-answers li');
    var check = fieldset.querySelector('.quiz-check');
    var retry = fieldset.querySelector('.quiz-retry');
    var verdict = fieldset.querySelector('.quiz-verdict');
    var correct = inputs.map(function (input, i) {
      return answers[i] && answers[i].dataset.correct === 'true';
    });

    function picked() {
      var out = [];
      inputs.forEach(function (input, i) { if (input.checked) { out.push(i + 1); } });
      return out;
    }

    function show(chosen, announce) {
      var right = correct.every(function (isRight, i) {
        return isRight === (chosen.indexOf(i + 1) >= 0);
      });
      inputs.forEach(function (input, i) {
        var option = input.closest('.quiz-option');
        var feedback = option.querySelector('.quiz-feedback');
        var why = answers[i] ? answers[i].querySelector('.quiz-why') : null;
        input.checked = chosen.indexOf(i + 1) >= 0;
        input.disabled = true;
        option.classList.toggle('quiz-is-right', correct[i]);
        option.classList.toggle('quiz-is-wrong', !correct[i]);
        option.classList.toggle('quiz-picked', input.checked);
        feedback.innerHTML = '';
        var mark = document.createElement('strong');
        mark.className = 'quiz-mark';
        mark.textContent = (correct[i] ? 'Right' : 'Wrong') + (input.checked ? ' (your answer): ' : ': ');
        feedback.appendChild(mark);
        if (why) { feedback.insertAdjacentHTML('beforeend', why.innerHTML); }
        feedback.hidden = false;
        input.setAttribute('aria-describedby', feedback.id);
      });
      fieldset.classList.add('quiz-checked');
      var text = right ? 'Right.' : 'Not quite: the right answer is marked under each option, with why.';
      if (announce) {
        verdict.textContent = text;
      } else {
        // A restored answer is shown, not announced.
        verdict.setAttribute('aria-live', 'off');
        verdict.textContent = text;
        window.setTimeout(function () { verdict.setAttribute('aria-live', 'polite'); }, 0);
      }
      verdict.classList.toggle('quiz-verdict-right', right);
      verdict.classList.toggle('quiz-verdict-wrong', !right);
      check.hidden = true;
      retry.hidden = false;
      return right;
    }

    function doCheck() {
      var chosen = picked();
      if (chosen.length === 0) {
        verdict.textContent = 'Pick an answer first.';
        return;
      }
      var right = show(chosen, true);
      var state = readState();
      state[id] = { picked: chosen, right: right };
      writeState(state);
      retry.focus();
    }

    function doRetry() {
      inputs.forEach(function (input) {
        var option = input.closest('.quiz-option');
        var feedback = option.querySelector('.quiz-feedback');
        input.checked = false;
        input.disabled = false;
        input.removeAttribute('aria-describedby');
        option.classList.remove('quiz-is-right', 'quiz-is-wrong', 'quiz-picked');
        feedback.hidden = true;
        feedback.innerHTML = '';
      });
      fieldset.classList.remove('quiz-checked');
      verdict.textContent = '';
      verdict.classList.remove('quiz-verdict-right', 'quiz-verdict-wrong');
      retry.hidden = true;
      check.hidden = false;
      var state = readState();
      delete state[id];
      writeState(state);
      if (inputs[0]) { inputs[0].focus(); }
    }

    check.hidden = false;
    check.addEventListener('click', doCheck);
    retry.addEventListener('click', doRetry);
    inputs.forEach(function (input) {
      input.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') {
          event.preventDefault();
          doCheck();
        }
      });
    });
    var saved = readState()[id];
    if (saved && Array.isArray(saved.picked) && saved.picked.length > 0 &&
        saved.picked.every(function (n) { return n >= 1 && n <= inputs.length; })) {
      show(saved.picked, false);
    }
  }

  function showCounts() {
    var state = readState();
    var all = { questions: 0, answered: 0, right: 0 };
    var rows = document.querySelectorAll('.quiz-summary tr[data-quiz-ids]');
    Array.prototype.forEach.call(rows, function (row) {
      var ids = row.dataset.quizIds.split(' ').filter(Boolean);
      var answered = 0;
      var right = 0;
      ids.forEach(function (id) {
        if (state[id]) {
          answered += 1;
          if (state[id].right === true) { right += 1; }
        }
      });
      row.querySelector('.quiz-answered').textContent = String(answered);
      row.querySelector('.quiz-right-count').textContent = String(right);
      all.questions += ids.length;
      all.answered += answered;
      all.right += right;
    });
    var total = document.querySelector('.quiz-summary tr[data-quiz-total]');
    if (total) {
      total.querySelector('.quiz-answered').textContent = String(all.answered);
      total.querySelector('.quiz-right-count').textContent = String(all.right);
    }
    var line = document.querySelector('.quiz-summary-total');
    if (line) {
      line.textContent = 'You have answered ' + all.answered + ' of ' + all.questions +
        ' questions in this browser, ' + all.right + ' of them right.';
    }
  }

  document.documentElement.classList.add('quiz-js');
  Array.prototype.forEach.call(document.querySelectorAll('.quiz-question'), setUpQuestion);
  if (document.querySelector('.quiz-summary')) {
    showCounts();
    window.addEventListener('storage', function (event) {
      if (event.key === KEY) { showCounts(); }
    });
  }
  // Printing shows every question's answers.
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details.quiz-answers'), function (d) {
      d.open = true;
    });
  });
})();
