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

// The clause editor. Each clause's form posts to the server without the script; with it,
// a pause of 400 ms in typing asks the server for the clause as the site will show it and
// puts that in the clause's live region (the server renders it with the site's own
// Markdown pipeline: nothing typed is ever run), and "Insert" puts the chosen variable at
// the cursor instead of at the end.
document.addEventListener("DOMContentLoaded", function () {
  var PAUSE = 400;
  document.querySelectorAll("form.clause-form[data-preview]").forEach(function (form) {
    var region = document.getElementById(form.getAttribute("data-region"));
    var text = form.querySelector("textarea[name='text']");
    var heading = form.querySelector("input[name='heading']");
    var timer = null;
    var asked = 0;
    if (!region || !text) {
      return;
    }
    function preview() {
      var sent = new FormData();
      ["csrf", "clause", "heading", "text"].forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field) {
          sent.append(name, field.value);
        }
      });
      var mine = ++asked;
      fetch(form.getAttribute("data-preview"), {
        method: "POST",
        body: sent,
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && mine === asked) {
            region.innerHTML = html;
          }
        })
        .catch(function () {});
    }
    function typed() {
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, PAUSE);
    }
    text.addEventListener("input", typed);
    if (heading) {
      heading.addEventListener("input", typed);
    }
    var insert = form.querySelector("button[data-insert]");
    var variable = form.querySelector("input[name='variable']");
    var options = Array.prototype.map.call(
      document.querySelectorAll("#variables option"),
      function (option) {
        return option.value;
      }
    );
    if (insert && variable) {
      insert.addEventListener("click", function (event) {
        var key = variable.value.trim();
        if (options.indexOf(key) < 0) {
          return; // the server says what is wrong, at the field
        }
        event.preventDefault();
        var words = "{{ " + key + " }}";
        var start = text.selectionStart;
        var end = text.selectionEnd;
        text.value = text.value.slice(0, start) + words + text.value.slice(end);
        text.focus();
        text.setSelectionRange(start + words.length, start + words.length);
        typed();
      });
    }
  });
});

// Publish: the build's progress as it goes, from the server's events (the page without this
// script has a "Check progress" link instead). The status line is a live region: a screen
// reader says each stage. When the publish ends, the page's main part is replaced by the
// server's own page (its links, or its problems), and focus goes to its heading.
document.addEventListener("DOMContentLoaded", function () {
  var publishing = document.querySelector("[data-progress]");
  if (!publishing || !window.EventSource || !window.fetch) {
    return;
  }
  var bar = document.getElementById("publish-progress");
  var status = document.getElementById("publish-status");
  var detail = document.getElementById("publish-detail");
  publishing.querySelectorAll(".no-script").forEach(function (element) {
    element.hidden = true;
  });
  var source = new EventSource(publishing.getAttribute("data-progress"));
  function shown(event) {
    var data = JSON.parse(event.data);
    bar.max = data.steps;
    bar.value = data.step;
    if (event.type === "detail") {
      detail.textContent = data.text;
    } else {
      detail.textContent = "";
      status.textContent = data.status;
    }
  }
  function ended(event) {
    source.close();
    if (event.type !== "idle") {
      shown(event);
    }
    fetch("/publish", { credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      })
      .then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var main = document.getElementById("main");
        var fresh = page.getElementById("main");
        if (!main || !fresh) {
          window.location.reload();
          return;
        }
        document.title = page.title;
        main.replaceChildren.apply(main, Array.from(fresh.childNodes));
        var heading = document.getElementById("publish-heading");
        if (heading) {
          heading.focus();
        }
      })
      .catch(function () {
        window.location.reload();
      });
  }
  source.addEventListener("stage", shown);
  source.addEventListener("detail", shown);
  source.addEventListener("done", ended);
  source.addEventListener("failed", ended);
  source.addEventListener("idle", ended);
});
