// The part of the console's script that keeps a running execution's page current, inserted into
// app-js.ts's function (it uses sizeDiagrams from there). No backticks or "${" below: this is a
// template (and no backslashes: it is not a raw one).
export const LIVE_JS = `
  // ---- a running execution redraws itself: <body data-watch="…/events" data-poll="1500"> around
  // <div id="live">. It watches the execution (EventSource) and redraws when an event commits;
  // without EventSource, or when the watch fails, it polls every data-poll ms instead.
  var every = Number(document.body.getAttribute("data-poll"));
  var watchUrl = document.body.getAttribute("data-watch");
  var pending = false;
  if (watchUrl && window.EventSource) watch(watchUrl);
  else if (every > 0) setTimeout(poll, every);

  // A form marked data-hold (finishing a task by hand) is never replaced under someone typing in it.
  var edited = false;
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("[data-hold]")) edited = true;
  });
  function holding() {
    var active = document.activeElement;
    return edited || Boolean(active && active.closest && active.closest("[data-hold]"));
  }

  function watch(url) {
    var source = new EventSource(url);
    source.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "event") refreshSoon();
      else if (message.type === "status" && message.execution.status !== "RUNNING") {
        source.close();
        refreshSoon();
      }
    };
    source.addEventListener("close", function () { source.close(); });
    source.onerror = function () {
      // EventSource retries a dropped stream by itself; a refused one is CLOSED: poll instead.
      if (source.readyState === 2 && every > 0) setTimeout(poll, every);
    };
  }

  // Events come in bursts (a Parallel state, a batch): one redraw for each burst.
  function refreshSoon() {
    if (pending) return;
    pending = true;
    setTimeout(function () {
      pending = false;
      refresh(false);
    }, 150);
  }

  function poll() { refresh(true); }

  function refresh(polling) {
    var why = polling ? "poll" : "watch";
    fetch(location.href, { credentials: "same-origin", headers: { "X-Console-Poll": why } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (!html) return;
        if (holding()) {
          setTimeout(function () { refresh(polling); }, every);
          return;
        }
        var next = new DOMParser().parseFromString(html, "text/html");
        var fresh = next.getElementById("live");
        var live = document.getElementById("live");
        if (fresh && live) {
          var box = live.querySelector(".diagram");
          var node = document.importNode(fresh, true);
          live.replaceWith(node);
          sizeDiagrams(node, box ? box.scrollLeft : undefined);
        }
        var again = Number(next.body.getAttribute("data-poll"));
        if (!(again > 0)) {
          document.body.removeAttribute("data-poll");
          document.body.removeAttribute("data-watch");
        } else if (polling) setTimeout(poll, again);
      })
      .catch(function () { if (polling) setTimeout(poll, every * 2); });
  }
`;
