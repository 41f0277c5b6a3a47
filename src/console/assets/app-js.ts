// The console's only script, served as /console/assets/app.js. Pages work without it (forms post
// and redirect); it adds live definition validation with a diagram preview, redraws a running
// execution as its events commit (live-js.ts, inserted at the end of this function), and asks before
// destructive actions. No backticks or "${" below but that one: this is a template.
import { LIVE_JS } from "./live-js";

export const APP_JS = String.raw`
(function () {
  "use strict";

  function csrfOf(el) {
    var form = el.closest("form");
    var field = form && form.querySelector("input[name=_csrf]");
    return field ? field.value : "";
  }

  // Destructive buttons: <form data-confirm="…">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Pretty-print the JSON of a textarea: <button data-format="id-of-textarea">
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-format]");
    if (!button) return;
    event.preventDefault();
    var area = document.getElementById(button.getAttribute("data-format"));
    try {
      area.value = JSON.stringify(JSON.parse(area.value), null, 2);
      area.dispatchEvent(new Event("input"));
    } catch (e) {
      /* not JSON yet: the validator says why */
    }
  });

  // Copy a block's text: <button data-copy="id-of-element">
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button || !navigator.clipboard) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    });
  });

  // ---- live validation and preview: <textarea data-validate="/console/machines/validate">
  var area = document.querySelector("textarea[data-validate]");
  if (area) setupEditor(area);

  function setupEditor(area) {
    var endpoint = area.getAttribute("data-validate");
    var list = document.getElementById("diagnostics");
    var verdict = document.getElementById("validity");
    var preview = document.getElementById("preview");
    var timer = null;
    var seq = 0;
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 350);
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button.pointer");
      if (button) selectPointer(area, button.getAttribute("data-pointer"));
    });
    run();

    function run() {
      var mine = ++seq;
      fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfOf(area) },
        body: JSON.stringify({ definition: area.value })
      })
        .then(function (res) { return res.json(); })
        .then(function (reply) { if (mine === seq) show(reply); })
        .catch(function () {
          if (mine === seq) showMessage("Validation is unavailable right now (network error).", "invalid");
        });
    }

    function show(reply) {
      if (reply.problem) {
        showMessage(reply.problem.title + ": " + reply.problem.detail, "invalid");
        return;
      }
      var errors = reply.diagnostics.filter(function (d) { return d.severity === "ERROR"; }).length;
      var warnings = reply.diagnostics.length - errors;
      var text = reply.valid ? "Valid definition" : errors + (errors === 1 ? " error" : " errors");
      if (warnings) text += ", " + warnings + (warnings === 1 ? " warning" : " warnings");
      showMessage(text, reply.valid ? "valid" : "invalid");
      list.textContent = "";
      reply.diagnostics.forEach(function (d) {
        var li = document.createElement("li");
        var badge = document.createElement("span");
        badge.className = "badge " + d.severity.toLowerCase();
        badge.textContent = d.severity;
        var where = document.createElement("button");
        where.type = "button";
        where.className = "pointer";
        where.setAttribute("data-pointer", d.pointer);
        where.title = "Show in the editor";
        where.textContent = d.pointer === "" ? "(whole definition)" : d.pointer;
        var message = document.createElement("span");
        message.textContent = d.message;
        li.appendChild(badge);
        li.appendChild(where);
        li.appendChild(message);
        list.appendChild(li);
      });
      if (preview) {
        var img = preview.querySelector("img");
        if (reply.svg) {
          if (!img) {
            preview.textContent = "";
            img = document.createElement("img");
            img.alt = "Preview of the diagram";
            preview.appendChild(img);
          }
          img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(reply.svg);
          sizeDiagrams(preview, preview.scrollLeft);
        } else if (!img) {
          preview.textContent = "The preview appears once the definition is valid JSON.";
        }
      }
    }

    function showMessage(text, kind) {
      verdict.textContent = text;
      verdict.className = "validity " + kind;
    }
  }

  // Select the key (or value) a JSON Pointer names in the editor's text.
  function selectPointer(area, pointer) {
    var at = locate(area.value, pointer);
    area.focus();
    if (at) {
      area.setSelectionRange(at[0], at[1]);
      var line = area.value.slice(0, at[0]).split("\n").length;
      area.scrollTop = Math.max(0, (line - 4) * parseFloat(getComputedStyle(area).lineHeight || "18"));
    }
  }

  function locate(text, pointer) {
    var tokens = pointer === "" ? [] : pointer.slice(1).split("/").map(function (t) {
      return t.replace(/~1/g, "/").replace(/~0/g, "~");
    });
    var i = 0;
    function ws() { while (i < text.length && /\s/.test(text[i])) i++; }
    function str() {
      var start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      try { return { value: JSON.parse(text.slice(start, i)), start: start, end: i }; } catch (e) { return null; }
    }
    function skip() {
      ws();
      var c = text[i];
      if (c === '"') { str(); return; }
      if (c === "{" || c === "[") {
        var depth = 0;
        while (i < text.length) {
          var ch = text[i];
          if (ch === '"') { str(); continue; }
          if (ch === "{" || ch === "[") depth++;
          if (ch === "}" || ch === "]") { depth--; if (depth === 0) { i++; return; } }
          i++;
        }
        return;
      }
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
    var span = null;
    ws();
    for (var t = 0; t < tokens.length; t++) {
      var c = text[i];
      if (c === "{") {
        i++;
        var found = false;
        for (;;) {
          ws();
          if (text[i] !== '"') return span;
          var key = str();
          if (!key) return span;
          ws(); i++; ws();
          if (key.value === tokens[t]) { span = [key.start, key.end]; found = true; break; }
          skip(); ws();
          if (text[i] === ",") i++; else return span;
        }
        if (!found) return span;
      } else if (c === "[") {
        i++;
        var index = Number(tokens[t]);
        for (var k = 0; k < index; k++) { skip(); ws(); if (text[i] === ",") i++; else return span; }
        ws();
        var s = i; skip(); span = [s, i]; i = s;
      } else return span;
    }
    return span;
  }

  // ---- a diagram fits its box unless that would shrink it below MIN_SCALE (a wide machine on a
  // phone): then it keeps that scale and scrolls inside its box, starting in the middle, where
  // the machine's first states and its title are drawn. keepLeft restores a reader's scroll.
  var MIN_SCALE = 0.7;
  function sizeDiagrams(root, keepLeft) {
    root.querySelectorAll(".diagram img").forEach(function (img) {
      function size() {
        var box = img.parentNode;
        img.style.maxWidth = "";
        img.style.width = "";
        var room = box.clientWidth - 16;
        if (img.naturalWidth * MIN_SCALE > room) {
          img.style.maxWidth = "none";
          img.style.width = Math.round(img.naturalWidth * MIN_SCALE) + "px";
          box.scrollLeft = keepLeft === undefined ? (box.scrollWidth - box.clientWidth) / 2 : keepLeft;
        }
      }
      if (img.complete && img.naturalWidth) size();
      else img.addEventListener("load", size, { once: true });
    });
  }
  sizeDiagrams(document);

${LIVE_JS}})();
`;
