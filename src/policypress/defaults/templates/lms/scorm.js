/* SCORM 1.2 glue for the policypress quiz player. It finds the LMS API in a parent or opener
   window and reports:
   - cmi.core.score.raw (0-100) from first answers only, as quiz.js scores them;
   - cmi.core.lesson_status: pupils practise, so their packages report "completed" with the
     score and never "passed" or "failed"; staff packages report "passed" or "failed" against
     the platform's cmi.student_data.mastery_score when it sets one, else the quiz's pass mark;
   - cmi.suspend_data (the draw and the answers given so far, never the typed name) and
     cmi.core.exit "suspend" when the learner leaves mid-attempt, so the attempt resumes;
     cmi.core.exit "" when the attempt is over;
   - cmi.core.session_time (HHHH:MM:SS.SS) for this session.
   LMSCommit follows each locked answer and each result; LMSFinish is called exactly once per
   session: when a final result is recorded (a staff pass or a completed practice) or when the
   page is left, whichever comes first. A failed staff attempt stays open for "Try again". */
(function () {
  "use strict";
  var script = document.currentScript;
  var status = document.querySelector(".pp-lms-status");
  var form = document.querySelector("form.pp-quiz");
  // quiz.js (loaded first) reads the page's translated messages; English if it is missing
  var say = window.policypressQuizMessages
    ? window.policypressQuizMessages(form).say
    : function (key) { return key; };

  function findAPI(win) {
    for (var tries = 0; win && tries < 12; tries++) {
      if (win.API) return win.API;
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  var api = findAPI(window) || (window.opener ? findAPI(window.opener) : null);
  if (!api || String(api.LMSInitialize("")) !== "true") {
    status.textContent = say("notConnected");
    return;
  }
  var started = Date.now();
  var finished = false; // LMSFinish has been called: the platform accepts nothing more
  var attemptOpen = false; // answers given in an attempt that has no result yet
  var answered = 0;
  var practice = form.dataset.practice === "true";

  var lessonStatus = api.LMSGetValue("cmi.core.lesson_status");
  if (lessonStatus === "not attempted" || lessonStatus === "") {
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  }
  if (!practice) {
    var platform = String(api.LMSGetValue("cmi.student_data.mastery_score") || "").trim();
    var mastery = platform !== "" && isFinite(Number(platform))
      ? Number(platform)
      : Number(script.dataset.mastery) || 80;
    form.dataset.passMark = String(mastery); // quiz.js shows and applies the platform's mark
  }

  var suspended = null;
  try { suspended = JSON.parse(api.LMSGetValue("cmi.suspend_data") || "null"); }
  catch (error) { suspended = null; }
  if (suspended && suspended.f && !suspended.done) {
    attemptOpen = true;
    answered = Object.keys(suspended.f).length;
  }

  // quiz.js keeps its attempt here instead of in sessionStorage.
  window.policypressQuizStore = {
    load: function () { return suspended; },
    save: function (state) {
      var data = { v: state.v, k: state.k, d: state.d, f: state.f, done: state.done, t: state.t };
      api.LMSSetValue("cmi.suspend_data", JSON.stringify(data));
    },
  };

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  function sessionTime() {
    var centiseconds = Math.max(0, Math.round((Date.now() - started) / 10));
    var hours = Math.min(9999, Math.floor(centiseconds / 360000));
    return pad(hours, 4) + ":" + pad(Math.floor(centiseconds / 6000) % 60, 2) + ":" +
      pad(Math.floor(centiseconds / 100) % 60, 2) + "." + pad(centiseconds % 100, 2);
  }

  function finish() {
    if (finished) return;
    finished = true;
    api.LMSSetValue("cmi.core.exit", attemptOpen ? "suspend" : "");
    api.LMSSetValue("cmi.core.session_time", sessionTime());
    api.LMSFinish("");
  }

  status.textContent = say("connected");

  form.addEventListener("pp-quiz-progress", function (event) {
    if (finished) return;
    var state = event.detail.state;
    attemptOpen = !state.done && event.detail.answered > 0;
    if (event.detail.answered !== answered) {
      answered = event.detail.answered;
      api.LMSCommit(""); // a locked answer is worth keeping if the browser closes
    }
  });

  form.addEventListener("pp-quiz-finished", function (event) {
    attemptOpen = false;
    if (finished || event.detail.restored) return;
    var result = event.detail;
    var lesson = practice ? "completed" : result.passed ? "passed" : "failed";
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", String(result.percent));
    api.LMSSetValue("cmi.core.lesson_status", lesson);
    api.LMSSetValue("cmi.core.exit", "");
    api.LMSSetValue("cmi.core.session_time", sessionTime());
    api.LMSCommit("");
    if (lesson === "failed") {
      status.textContent = say("recordedRetry");
    } else {
      status.textContent = practice ? say("recordedPractice") : say("recordedPass");
      finish();
    }
  });
  window.addEventListener("pagehide", finish);
})();
