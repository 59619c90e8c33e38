// The studio's one script, and nothing depends on it: every page works without it. It does
// what the GOV.UK Design System's error summary does: the summary takes focus when a form
// comes back with problems (so a screen reader reads them first), and each of its links
// puts focus in the field it names (a link to an id alone only scrolls there).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) {
    summary.focus();
  }
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView();
      }
    });
  });
});
