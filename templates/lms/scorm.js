/* SCORM 1.2 glue for the policypress quiz player: finds the LMS API in a parent or opener
   window, reports score (0-100) and passed/failed against the mastery score, commits, and
   finishes once passed (or when the page is left). Only the score and status are sent. */
(function () {
  "use strict";
  var script = document.currentScript;
  var status = document.querySelector(".pp-lms-status");

  function findAPI(win) {
    for (var tries = 0; win && tries < 12; tries++) {
      if (win.API) return win.API;
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  var api = findAPI(window) || (window.opener ? findAPI(window.opener) : null);
  if (!api) {
    status.textContent = "Not connected to a learning platform: your score will not be recorded.";
    return;
  }
  var finished = false;
  api.LMSInitialize("");
  if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  }
  var mastery = Number(api.LMSGetValue("cmi.student_data.mastery_score")) ||
    Number(script.dataset.mastery) || 80;
  status.textContent = "Connected to your learning platform.";

  function finish() {
    if (finished) return;
    finished = true;
    api.LMSFinish("");
  }

  document.addEventListener("pp-quiz-finished", function (event) {
    if (finished) return;
    var percent = event.detail.percent;
    var passed = percent >= mastery;
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", String(percent));
    api.LMSSetValue("cmi.core.lesson_status", passed ? "passed" : "failed");
    api.LMSCommit("");
    status.textContent = passed ? "Your pass has been recorded." :
      "Your score has been recorded. You can try again.";
    if (passed) finish();
  });
  window.addEventListener("pagehide", finish);
})();
