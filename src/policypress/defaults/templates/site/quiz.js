/* policypress quizzes: plain JavaScript, no third-party code, no network.
   Answers are checked in the browser against hashed keys; nothing a learner chooses or types
   leaves the browser. The attempt in progress is kept in sessionStorage (this tab only) so that
   reloading the page resumes it instead of starting a fresh one; a learning-platform wrapper
   (scorm.js) may replace that store with its own (window.policypressQuizStore).

   Scoring: the first checked answer to each question is the one that counts. Checking again
   shows feedback (it teaches) but never changes the score. This deters; it does not prove:
   everything needed to find the answers is in the page, as on any static site.

   Works with the keyboard only: native radios, checkboxes, selects and buttons. */
(function () {
  "use strict";

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return ("00000000" + hash.toString(16)).slice(-8);
  }

  /* SHA-256 (FIPS 180-4) of a byte array, in plain JavaScript: crypto.subtle exists only on
     https and localhost, and a school intranet may serve the site over plain http. */
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];

  function sha256(bytes) {
    var length = bytes.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var bits = length * 8;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var block = 0; block < padded.length; block += 64) {
      for (var t = 0; t < 16; t++) w[t] = view.getUint32(block + 4 * t);
      for (t = 16; t < 64; t++) {
        var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                  K[t] + w[t]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var out = new Uint8Array(32);
    var outView = new DataView(out.buffer);
    for (var i = 0; i < 8; i++) outView.setUint32(4 * i, h[i] >>> 0);
    return out;
  }

  var CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function localDate(when) {
    return when.getFullYear() + "-" + pad(when.getMonth() + 1) + "-" + pad(when.getDate());
  }

  /* The staff completion code (policypress docs/pages/reference/completion-code.md): the first
     40 bits of SHA-256 over the normalised name, quiz, policy versions and local date, in
     Crockford base 32. */
  function completionCode(name, quizId, versions, date) {
    var normal = name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
    var payload = "policypress-completion-v1|" + normal + "|" + quizId + "|" + versions + "|" + date;
    var digest = sha256(new TextEncoder().encode(payload));
    var value = 0;
    for (var i = 0; i < 5; i++) value = value * 256 + digest[i];
    var code = "";
    for (var j = 7; j >= 0; j--) code += CROCKFORD[Math.floor(value / Math.pow(32, j)) % 32];
    return code.slice(0, 4) + "-" + code.slice(4);
  }
  window.policypressCompletionCode = completionCode;

  function answerOf(fieldset) {
    var kind = fieldset.dataset.kind;
    if (kind === "ordering") {
      var steps = fieldset.querySelectorAll("li[data-item]");
      // Taps: a child who has tapped some steps has not yet said where the others go.
      var taps = fieldset.querySelectorAll(".pp-tap[aria-pressed=true]").length;
      if (taps && taps < steps.length) return null;
      return Array.prototype.map.call(steps, function (li) { return li.dataset.item; }).join(",");
    }
    if (kind === "matching") {
      var pairs = [];
      var choices = fieldset.querySelectorAll("select[data-left]");
      for (var j = 0; j < choices.length; j++) {
        if (!choices[j].value) return null;
        pairs.push(choices[j].dataset.left + ":" + choices[j].value);
      }
      return pairs.sort().join(",");
    }
    var checked = fieldset.querySelectorAll("input:checked");
    if (!checked.length) return null;
    var ids = Array.prototype.map.call(checked, function (input) { return input.value; });
    return ids.sort().join(",");
  }

  /* Put a saved answer back into the controls (after a reload or a platform resume). The
     saved text is only compared with ids, never used as a selector or as markup. */
  function showAnswer(fieldset, answer) {
    var kind = fieldset.dataset.kind;
    var ids = answer.split(",");
    if (kind === "ordering") {
      var list = fieldset.querySelector(".pp-steps");
      var items = Array.prototype.slice.call(list.querySelectorAll("li[data-item]"));
      ids.forEach(function (id) {
        items.forEach(function (item) { if (item.dataset.item === id) list.appendChild(item); });
      });
      setTaps(list, list.querySelectorAll(".pp-tap").length);
    } else if (kind === "matching") {
      fieldset.querySelectorAll("select[data-left]").forEach(function (select) {
        ids.forEach(function (pair) {
          var parts = pair.split(":");
          var known = Array.prototype.some.call(select.options, function (option) {
            return option.value === parts[1];
          });
          if (parts[0] === select.dataset.left && known) select.value = parts[1];
        });
      });
    } else {
      fieldset.querySelectorAll("input").forEach(function (input) {
        input.checked = ids.indexOf(input.value) !== -1;
      });
    }
  }

  /* Tap in order (KS1): the tapped steps stand first, in the order tapped, each showing its
     number; ``setTaps(list, n)`` marks the first ``n`` steps as tapped and numbers them. */
  function setTaps(list, count) {
    Array.prototype.forEach.call(list.querySelectorAll("li[data-item]"), function (item, i) {
      var tap = item.querySelector(".pp-tap");
      if (!tap) return;
      tap.setAttribute("aria-pressed", i < count ? "true" : "false");
      item.querySelector(".pp-tap-num").textContent = i < count ? String(i + 1) : "";
      item.classList.toggle("pp-tapped", i < count);
    });
  }

  function tappedCount(list) {
    return list.querySelectorAll(".pp-tap[aria-pressed=true]").length;
  }

  function resetControls(fieldset) {
    fieldset.querySelectorAll("input").forEach(function (input) { input.checked = false; });
    fieldset.querySelectorAll("select").forEach(function (select) { select.value = ""; });
    var list = fieldset.querySelector(".pp-steps");
    if (list) {
      var items = Array.prototype.slice.call(list.querySelectorAll("li[data-item]"));
      items.sort(function (a, b) { return Number(a.dataset.shown) - Number(b.dataset.shown); });
      items.forEach(function (item) { list.appendChild(item); });
      setTaps(list, 0);
    }
    fieldset.classList.remove("pp-right", "pp-wrong");
    fieldset.querySelector(".pp-feedback").hidden = true;
  }

  function sessionStore(key) {
    return {
      load: function () {
        try { return JSON.parse(window.sessionStorage.getItem(key) || "null"); }
        catch (error) { return null; }
      },
      save: function (state) {
        try { window.sessionStorage.setItem(key, JSON.stringify(state)); }
        catch (error) { /* storage full or disabled: the attempt simply does not survive a reload */ }
      },
    };
  }

  /* The words the script writes, in the page's language: the page carries them, translated,
     in <script type="application/json" class="pp-quiz-messages"> (a data block, never run);
     these English ones are used only for a message the page lacks. A message's {name} is a
     value filled in here; a plural message is a list, indexed by its count. */
  var ENGLISH = {
    questionOf: "Question {number} of {total}:",
    question: "Question {number}",
    next: "Next question",
    seeScore: "See my score",
    correct: "✓ Correct! ",
    notQuite: "✗ Not quite. ",
    firstCounts: "(Your first answer is the one that counts.) ",
    noName: "(no name given)",
    score: "{right} out of {total} ({percent}%)",
    typeName: "type your name above to get a code",
    practiceResult: "You got {right} out of {total}. Well done for finishing!",
    passed: "You got {right} out of {total} ({percent}%). You passed: the pass mark is {mark}%.",
    failed: "You got {right} out of {total} ({percent}%). The pass mark is {mark}%. " +
      "Read the feedback, then try again.",
    unanswered: "You have not answered {count} questions. Questions you skip count as wrong.",
    unansweredOne: "You have not answered 1 question. A question you skip counts as wrong.",
    review: "{count} answers to look at again, listed below with links to their parts of the policy.",
    reviewOne: "1 answer to look at again, listed below with a link to its part of the policy.",
    chooseFirst: "Choose an answer first.",
    tapAll: "Tap every step, in the order they happen.",
    tapped: "Number {position}: {text}",
    untapped: "Number taken away: {text}",
    moved: "Moved to place {position} of {total}: {text}",
    inPlace: "Already in place {position} of {total}: {text}",
    newAttempt: "A new attempt has started.",
    notConnected: "Not connected to a learning platform: your score will not be recorded.",
    connected: "Connected to your learning platform.",
    recordedRetry: "Your score has been recorded. You can try again.",
    recordedPractice: "Your score has been recorded. Well done!",
    recordedPass: "Your pass has been recorded. You can close this page.",
  };

  function pageMessages(form) {
    var block = form.querySelector("script.pp-quiz-messages");
    if (!block) return {};
    try {
      var parsed = JSON.parse(block.textContent);
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (error) { return {}; } // a damaged block: the English below still works
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  /* ``say(key, values)`` and ``sayCount(key, count, values)`` for one quiz's form. */
  function messagesOf(form) {
    var translated = pageMessages(form);
    function say(key, values) {
      var text = typeof translated[key] === "string" ? translated[key] : ENGLISH[key];
      return fill(text, values);
    }
    function sayCount(key, count, values) {
      var forms = translated[key];
      if (Array.isArray(forms) && typeof forms[count] === "string") return fill(forms[count], values);
      return count === 1 ? say(key + "One", values) : fill(ENGLISH[key], values);
    }
    var locale = typeof translated.locale === "string" ? translated.locale : "en-GB";
    return { say: say, sayCount: sayCount, locale: locale };
  }
  // for the learning-platform wrapper, which writes in the same page's language
  window.policypressQuizMessages = messagesOf;

  function setupQuiz(form) {
    var words = messagesOf(form);
    var say = words.say;
    var quizId = form.dataset.quiz;
    var bank = {};
    form.querySelectorAll("fieldset.pp-q").forEach(function (q) { bank[q.dataset.q] = q; });
    var draws = (form.dataset.draws || "").split("|").map(function (draw) {
      return draw.split(" ").filter(function (id) { return bank[id]; });
    }).filter(function (draw) { return draw.length; });
    if (!draws.length) draws = [Object.keys(bank)];
    var live = form.querySelector(".pp-live");
    var result = form.querySelector(".pp-result");
    var end = form.querySelector(".pp-end");
    var finishButton = form.querySelector(".pp-finish");
    var unanswered = form.querySelector(".pp-unanswered");
    var retry = form.querySelector(".pp-retry");
    var recap = form.querySelector(".pp-recap");
    var certificate = form.querySelector(".pp-certificate");
    var review = form.querySelector(".pp-review");
    var nameInput = form.querySelector("input[name=learner-name]");
    var onePerScreen = form.dataset.onePerScreen === "true";
    var practice = form.dataset.practice === "true";
    // A rebuilt quiz (other questions or answers) must not pick up an old attempt.
    var fingerprint = fnv1a(form.dataset.draws + "|" + Object.keys(bank).map(function (id) {
      return id + ":" + bank[id].dataset.check;
    }).join(","));
    var store = window.policypressQuizStore ||
      sessionStore("policypress-quiz:" + quizId + ":" + fingerprint);
    // { k: attempt number, f: {question id: first answer}, done: bool, t: when finished }
    var state = null;
    var order = [];
    var current = 0;
    var completedOn = null;

    function passMark() {
      return form.dataset.passMark ? Number(form.dataset.passMark) : null;
    }

    function announce(text) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }

    function save() {
      var saved = { v: 1, k: state.k, d: order, f: state.f, done: state.done, t: state.t };
      if (nameInput) saved.name = nameInput.value;
      store.save(saved);
      form.dispatchEvent(new CustomEvent("pp-quiz-progress", {
        bubbles: true, detail: { state: saved, answered: Object.keys(state.f).length },
      }));
    }

    function isRight(id, answer) {
      return fnv1a(quizId + "|" + id + "|" + answer) === bank[id].dataset.check;
    }

    function tally() {
      var right = order.filter(function (id) {
        return id in state.f && isRight(id, state.f[id]);
      }).length;
      var total = order.length;
      return { right: right, total: total, percent: Math.round((100 * right) / total) };
    }

    function focusQuestion(fieldset) {
      var legend = fieldset.querySelector("legend");
      legend.setAttribute("tabindex", "-1");
      legend.focus();
    }

    function show(index) {
      current = index;
      order.forEach(function (id, i) { bank[id].hidden = onePerScreen && i !== index; });
      var fieldset = bank[order[index]];
      var back = fieldset.querySelector(".pp-back");
      if (back) back.hidden = index === 0;
    }

    function showFeedback(fieldset, right, later) {
      var feedback = fieldset.querySelector(".pp-feedback");
      var verdict = right ? say("correct") : say("notQuite");
      if (later) verdict += say("firstCounts");
      feedback.querySelector(".pp-verdict").textContent = verdict;
      feedback.hidden = false;
      fieldset.classList.toggle("pp-right", right);
      fieldset.classList.toggle("pp-wrong", !right);
      var next = fieldset.querySelector(".pp-next");
      if (next) next.hidden = false;
      return verdict;
    }

    /* Start attempt ``k`` (its draw), or resume ``saved`` when it belongs to this page. */
    function begin(k, saved) {
      order = draws[k % draws.length].slice();
      state = { k: k, f: {}, done: false };
      Object.keys(bank).forEach(function (id) {
        resetControls(bank[id]);
        bank[id].hidden = true;
      });
      order.forEach(function (id, i) {
        var fieldset = bank[id];
        form.insertBefore(fieldset, end);
        fieldset.hidden = false;
        fieldset.querySelector(".pp-qnum").textContent =
          say("questionOf", { number: i + 1, total: order.length });
        var next = fieldset.querySelector(".pp-next");
        if (next) {
          next.textContent = i + 1 < order.length ? say("next") : say("seeScore");
          next.hidden = true;
        }
      });
      if (saved) {
        Object.keys(saved.f).forEach(function (id) {
          if (order.indexOf(id) === -1 || typeof saved.f[id] !== "string") return;
          state.f[id] = saved.f[id];
          showAnswer(bank[id], saved.f[id]);
          showFeedback(bank[id], isRight(id, saved.f[id]), false);
        });
        if (typeof saved.t === "number" && isFinite(saved.t)) state.t = saved.t;
        if (nameInput && typeof saved.name === "string" && !nameInput.value) {
          nameInput.value = saved.name;
        }
      }
      result.hidden = true;
      if (retry) retry.hidden = true;
      if (recap) recap.hidden = true;
      if (certificate) certificate.hidden = true;
      if (review) review.hidden = true;
      if (unanswered) unanswered.hidden = true;
      if (finishButton) finishButton.hidden = false;
      var resumeAt = 0;
      if (onePerScreen) {
        while (resumeAt + 1 < order.length && order[resumeAt] in state.f) resumeAt++;
      }
      show(resumeAt);
      if (saved && saved.done) finish(null, true);
    }

    function renderCertificate() {
      var name = nameInput ? nameInput.value.trim() : "";
      var when = completedOn || new Date();
      var score = tally();
      certificate.querySelector(".pp-cert-name").textContent = name || say("noName");
      var dateStyle = { day: "numeric", month: "long", year: "numeric" };
      var day;
      try { day = when.toLocaleDateString(words.locale, dateStyle); }
      catch (error) { day = when.toLocaleDateString("en-GB", dateStyle); } // a tag it lacks
      certificate.querySelector(".pp-cert-date").textContent = day;
      certificate.querySelector(".pp-cert-score").textContent =
        say("score", score);
      certificate.querySelector(".pp-cert-mark").textContent = passMark() + "%";
      var code = certificate.querySelector(".pp-cert-code");
      code.textContent = name
        ? completionCode(name, quizId, form.dataset.versions, localDate(when))
        : say("typeName");
    }

    /* The end of a scored quiz: each question of this attempt answered wrongly (or not at
       all), in the order asked, with its link to the policy. Returns how many are listed. */
    function showReview() {
      if (!review) return 0;
      var list = review.querySelector("ul");
      var items = {};
      list.querySelectorAll("li[data-q]").forEach(function (item) {
        items[item.dataset.q] = item;
        item.hidden = true;
      });
      var wrong = order.filter(function (id) {
        return items[id] && !(id in state.f && isRight(id, state.f[id]));
      });
      wrong.forEach(function (id) {
        var item = items[id];
        item.querySelector(".pp-review-num").textContent =
          say("question", { number: order.indexOf(id) + 1 });
        item.hidden = false;
        list.appendChild(item);
      });
      review.hidden = !wrong.length;
      return wrong.length;
    }

    function finish(lastVerdict, restoring) {
      state.done = true;
      if (!restoring || typeof state.t !== "number") state.t = Date.now();
      if (!restoring) save();
      // a restored result keeps the day it was finished: the certificate's date and code
      completedOn = new Date(state.t);
      var score = tally();
      var text;
      var reviewSaid = "";
      var passed = false;
      if (practice) {
        text = say("practiceResult", score);
        if (recap) recap.hidden = false;
        if (retry) retry.hidden = false;
      } else {
        var mark = passMark();
        passed = score.percent >= mark;
        var values = { right: score.right, total: score.total, percent: score.percent, mark: mark };
        text = passed ? say("passed", values) : say("failed", values);
        if (certificate) {
          certificate.hidden = !passed;
          if (passed) renderCertificate();
        }
        if (retry) retry.hidden = passed;
        var toReview = showReview();
        if (toReview) {
          reviewSaid = words.sayCount("review", toReview, { count: toReview });
          review.querySelector(".pp-review-count").textContent = reviewSaid;
        }
      }
      if (finishButton) finishButton.hidden = true;
      if (unanswered) unanswered.hidden = true;
      result.textContent = text;
      result.hidden = false;
      announce((lastVerdict || "") + text + (reviewSaid ? " " + reviewSaid : ""));
      result.focus();
      // For a learning platform wrapper (scorm.js); the page itself sends nothing anywhere.
      form.dispatchEvent(new CustomEvent("pp-quiz-finished", {
        bubbles: true,
        detail: {
          right: score.right, total: score.total, percent: score.percent,
          practice: practice, passed: passed, restored: Boolean(restoring),
        },
      }));
    }

    function askToFinish() {
      var missing = order.filter(function (id) { return !(id in state.f); });
      if (!missing.length || !unanswered) { finish(); return; }
      var list = unanswered.querySelector("ul");
      list.textContent = "";
      missing.forEach(function (id) {
        var link = document.createElement("a");
        link.href = "#" + id;
        link.textContent = say("question", { number: order.indexOf(id) + 1 });
        link.addEventListener("click", function (event) {
          event.preventDefault();
          var control = bank[id].querySelector("input, select, .pp-steps button, .pp-check");
          bank[id].scrollIntoView({ block: "start" });
          control.focus();
        });
        var item = document.createElement("li");
        item.appendChild(link);
        list.appendChild(item);
      });
      unanswered.querySelector(".pp-unanswered-text").textContent =
        words.sayCount("unanswered", missing.length, { count: missing.length });
      unanswered.hidden = false;
      unanswered.focus();
    }

    Object.keys(bank).forEach(function (id) {
      var fieldset = bank[id];
      var check = fieldset.querySelector(".pp-check");
      var next = fieldset.querySelector(".pp-next");
      var back = fieldset.querySelector(".pp-back");
      var feedback = fieldset.querySelector(".pp-feedback");
      var read = fieldset.querySelector(".pp-read");
      fieldset.querySelectorAll("li[data-item]").forEach(function (item, i) {
        item.dataset.shown = String(i);
      });
      check.addEventListener("click", function () {
        var answer = answerOf(fieldset);
        if (answer === null) {
          var first = fieldset.querySelector(".pp-tap") ? say("tapAll") : say("chooseFirst");
          feedback.hidden = false;
          feedback.querySelector(".pp-verdict").textContent = first;
          announce(first);
          return;
        }
        var first = !(id in state.f) && !state.done;
        if (first) {
          state.f[id] = answer; // locked: later checks teach but never score
          save();
        }
        var verdict = showFeedback(fieldset, isRight(id, answer), !first);
        announce(verdict + feedback.querySelector(".pp-explain").textContent);
        feedback.scrollIntoView({ block: "nearest" });
      });
      fieldset.querySelectorAll(".pp-tap").forEach(function (button) {
        button.addEventListener("click", function () {
          var item = button.closest("li");
          var list = item.parentNode;
          var text = item.querySelector(".pp-step-text").textContent;
          var count = tappedCount(list);
          var wasTapped = button.getAttribute("aria-pressed") === "true";
          // A tapped step takes the next place; tapped again, it gives its place back and
          // stands first among the steps still to tap. Either way the list reads in order.
          list.removeChild(item);
          var rest = list.querySelectorAll("li[data-item]");
          var place = wasTapped ? count - 1 : count;
          list.insertBefore(item, rest[place] || null);
          setTaps(list, wasTapped ? count - 1 : count + 1);
          button.focus();
          announce(wasTapped ? say("untapped", { text: text })
            : say("tapped", { position: count + 1, text: text }));
        });
      });
      fieldset.querySelectorAll(".pp-up, .pp-down").forEach(function (button) {
        button.addEventListener("click", function () {
          var item = button.closest("li");
          var list = item.parentNode;
          // Moving by button puts every step by hand: the taps' numbers no longer hold.
          setTaps(list, 0);
          var up = button.classList.contains("pp-up");
          var neighbour = up ? item.previousElementSibling : item.nextElementSibling;
          var text = item.querySelector(".pp-step-text").textContent;
          if (neighbour) {
            list.insertBefore(item, up ? neighbour : neighbour.nextElementSibling);
            button.focus();
          }
          var position = Array.prototype.indexOf.call(list.children, item) + 1;
          var place = { position: position, total: list.children.length, text: text };
          announce(neighbour ? say("moved", place) : say("inPlace", place));
        });
      });
      if (next) next.addEventListener("click", function () {
        var index = order.indexOf(id);
        if (index + 1 < order.length) {
          show(index + 1);
          focusQuestion(bank[order[index + 1]]);
        } else {
          finish();
        }
      });
      if (back) back.addEventListener("click", function () {
        var index = order.indexOf(id);
        if (index > 0) {
          show(index - 1);
          focusQuestion(bank[order[index - 1]]);
        }
      });
      if (read) {
        if (!("speechSynthesis" in window)) { read.hidden = true; return; }
        read.addEventListener("click", function () {
          var parts = [fieldset.querySelector("legend").textContent];
          fieldset.querySelectorAll(".pp-situation, label, .pp-step-text").forEach(function (el) {
            parts.push(el.textContent);
          });
          window.speechSynthesis.cancel();
          var utterance = new SpeechSynthesisUtterance(parts.join(". "));
          utterance.lang = document.documentElement.lang || "en-GB";
          utterance.rate = 0.9;
          window.speechSynthesis.speak(utterance);
        });
      }
    });

    if (finishButton) finishButton.addEventListener("click", askToFinish);
    if (unanswered) {
      unanswered.querySelector(".pp-finish-confirm").addEventListener("click", function () {
        finish();
      });
    }
    if (retry) retry.addEventListener("click", function () {
      begin(state.k + 1, null); // the next draw; the typed name stays
      save();
      focusQuestion(bank[order[0]]);
      announce(say("newAttempt"));
    });
    if (nameInput) nameInput.addEventListener("input", function () {
      if (state.done && certificate && !certificate.hidden) renderCertificate();
      save();
    });
    var print = form.querySelector(".pp-print-certificate");
    if (print) print.addEventListener("click", function () {
      document.body.classList.add("pp-printing-certificate");
      window.print();
      document.body.classList.remove("pp-printing-certificate");
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.classList.add("pp-enhanced");

    var saved = store.load();
    var valid = saved && typeof saved === "object" && typeof saved.k === "number" &&
      saved.k >= 0 && saved.k % 1 === 0 && saved.f && typeof saved.f === "object";
    begin(valid ? saved.k : 0, valid ? saved : null);
  }

  /* Class mode (quizzes/<id>/class/): one slide at a time, Next and Back by button, arrow
     keys or a swipe; "Read aloud" through the browser's own speech (nothing is sent), shown
     only where the browser has it. Without this script every slide is shown. */
  function setupClass(main) {
    var slides = Array.prototype.slice.call(main.querySelectorAll(".pp-slide"));
    var controls = main.querySelector(".pp-class-controls");
    if (!slides.length || !controls) return;
    var back = controls.querySelector(".pp-class-back");
    var next = controls.querySelector(".pp-class-next");
    var read = controls.querySelector(".pp-class-read");
    var live = main.querySelector(".pp-class-live");
    var speech = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
    var current = 0;

    function show(index) {
      if (index < 0 || index >= slides.length) return;
      current = index;
      slides.forEach(function (slide, i) { slide.hidden = i !== index; });
      // aria-disabled, not disabled: the focused button keeps its focus at either end
      back.setAttribute("aria-disabled", index === 0 ? "true" : "false");
      next.setAttribute("aria-disabled", index === slides.length - 1 ? "true" : "false");
      if (speech) window.speechSynthesis.cancel();
      var count = slides[index].querySelector(".pp-slide-count");
      var title = slides[index].querySelector(".pp-slide-title");
      live.textContent = (count ? count.textContent + " " : "") + title.textContent;
      window.scrollTo(0, 0);
    }

    function readAloud() {
      var slide = slides[current];
      var parts = [];
      slide.querySelectorAll(".pp-slide-title, .pp-slide-situation, .pp-slide-option")
        .forEach(function (el) { parts.push(el.textContent); });
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(parts.join(". "));
      utterance.lang = document.documentElement.lang || "en-GB";
      utterance.rate = 0.9;
      window.speechSynthesis.speak(utterance);
    }

    back.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    if (speech) {
      read.hidden = false;
      read.addEventListener("click", readAloud);
    }
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key === "ArrowRight" || event.key === "PageDown") show(current + 1);
      else if (event.key === "ArrowLeft" || event.key === "PageUp") show(current - 1);
      else return;
      event.preventDefault();
    });
    var startX = null;
    var startY = null;
    main.addEventListener("touchstart", function (event) {
      startX = event.touches.length === 1 ? event.touches[0].clientX : null;
      startY = event.touches.length === 1 ? event.touches[0].clientY : null;
    }, { passive: true });
    main.addEventListener("touchend", function (event) {
      if (startX === null || !event.changedTouches.length) return;
      var dx = event.changedTouches[0].clientX - startX;
      var dy = event.changedTouches[0].clientY - startY;
      startX = null;
      if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    }, { passive: true });
    main.classList.add("pp-class--slides");
    controls.hidden = false;
    show(0);
  }

  function start() {
    document.querySelectorAll("form.pp-quiz").forEach(setupQuiz);
    document.querySelectorAll("main.pp-class").forEach(setupClass);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
