/* policypress quizzes: plain JavaScript, no third-party code, no network, no storage.
   Answers are checked in the browser against hashed keys; nothing a pupil chooses or types
   leaves the page. Works with keyboard only: native radios, checkboxes, selects and buttons. */
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

  function answerOf(fieldset) {
    var kind = fieldset.dataset.kind;
    if (kind === "ordering") {
      var selects = fieldset.querySelectorAll("select[data-item]");
      var byPosition = [];
      for (var i = 0; i < selects.length; i++) {
        if (!selects[i].value) return null;
        byPosition.push([Number(selects[i].value), selects[i].dataset.item]);
      }
      byPosition.sort(function (a, b) { return a[0] - b[0]; });
      return byPosition.map(function (p) { return p[1]; }).join(",");
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

  function setupQuiz(form) {
    var quizId = form.dataset.quiz;
    var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.pp-q"));
    var live = form.querySelector(".pp-live");
    var result = form.querySelector(".pp-result");
    var onePerScreen = form.dataset.onePerScreen === "true";
    var passMark = form.dataset.passMark ? Number(form.dataset.passMark) : null;
    var score = {};
    var current = 0;

    function announce(text) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }

    function show(index) {
      current = index;
      questions.forEach(function (q, i) { q.hidden = onePerScreen && i !== index; });
      if (onePerScreen) {
        var legend = questions[index].querySelector("legend");
        legend.setAttribute("tabindex", "-1");
        legend.focus();
      }
    }

    function finish(lastVerdict) {
      var total = questions.length;
      var right = Object.keys(score).filter(function (k) { return score[k]; }).length;
      var percent = Math.round((100 * right) / total);
      var text = "You got " + right + " out of " + total + " (" + percent + "%).";
      var certificate = form.querySelector(".pp-certificate");
      var retry = form.querySelector(".pp-retry");
      if (passMark !== null) {
        var passed = percent >= passMark;
        text += passed ? " You passed: the pass mark is " + passMark + "%."
                       : " The pass mark is " + passMark + "%. Please read the feedback and try again.";
        if (passed && certificate) {
          var name = form.querySelector("input[name=learner-name]").value.trim();
          certificate.querySelector(".pp-cert-name").textContent = name || "(no name given)";
          certificate.querySelector(".pp-cert-date").textContent =
            new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
          certificate.querySelector(".pp-cert-score").textContent =
            right + " out of " + total + " (" + percent + "%)";
          certificate.hidden = false;
        }
        if (retry) retry.hidden = passed;
      }
      result.textContent = text;
      result.hidden = false;
      announce((lastVerdict || "") + text);
      result.focus();
      // For a learning platform wrapper (scorm.js); the page itself sends nothing anywhere.
      form.dispatchEvent(new CustomEvent("pp-quiz-finished", {
        bubbles: true,
        detail: { right: right, total: total, percent: percent },
      }));
    }

    questions.forEach(function (fieldset, index) {
      var check = fieldset.querySelector(".pp-check");
      var next = fieldset.querySelector(".pp-next");
      var back = fieldset.querySelector(".pp-back");
      var feedback = fieldset.querySelector(".pp-feedback");
      var read = fieldset.querySelector(".pp-read");
      check.addEventListener("click", function () {
        var answer = answerOf(fieldset);
        if (answer === null) {
          feedback.hidden = false;
          feedback.querySelector(".pp-verdict").textContent = "Choose an answer first.";
          announce("Choose an answer first.");
          return;
        }
        var right = fnv1a(quizId + "|" + fieldset.dataset.q + "|" + answer) === fieldset.dataset.check;
        score[fieldset.dataset.q] = right;
        var verdict = right ? "✓ Correct! " : "✗ Not quite. ";
        feedback.querySelector(".pp-verdict").textContent = verdict;
        feedback.hidden = false;
        fieldset.classList.toggle("pp-right", right);
        fieldset.classList.toggle("pp-wrong", !right);
        announce(verdict + feedback.querySelector(".pp-explain").textContent);
        if (next) next.hidden = false;
        // One question per screen: the pupil asks for the score; otherwise it follows the last
        // answer, announced together with that answer's verdict.
        if (!onePerScreen && Object.keys(score).length === questions.length) finish(verdict);
      });
      if (next) next.addEventListener("click", function () {
        if (index + 1 < questions.length) show(index + 1); else finish();
      });
      if (back) back.addEventListener("click", function () { if (index > 0) show(index - 1); });
      if (read) {
        if (!("speechSynthesis" in window)) { read.hidden = true; return; }
        read.addEventListener("click", function () {
          var parts = [fieldset.querySelector("legend").textContent];
          fieldset.querySelectorAll(".pp-situation, label").forEach(function (el) {
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

    var retry = form.querySelector(".pp-retry");
    if (retry) retry.addEventListener("click", function () {
      form.reset();
      score = {};
      questions.forEach(function (q) {
        q.classList.remove("pp-right", "pp-wrong");
        q.querySelector(".pp-feedback").hidden = true;
      });
      result.hidden = true;
      retry.hidden = true;
      show(0);
      questions[0].querySelector("legend").focus();
    });
    var print = form.querySelector(".pp-print-certificate");
    if (print) print.addEventListener("click", function () {
      document.body.classList.add("pp-printing-certificate");
      window.print();
      document.body.classList.remove("pp-printing-certificate");
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.classList.add("pp-enhanced");
    if (onePerScreen) {
      questions.forEach(function (q, i) { q.hidden = i !== 0; });
    }
  }

  function start() {
    document.querySelectorAll("form.pp-quiz").forEach(setupQuiz);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
