// Live votes: the page reads completely without this file. With it, the community numbers follow
// the votes through server-sent events; where those are blocked, a poll every 15 s does the same.
(function () {
  "use strict";
  var page = document.querySelector("[data-live]");
  if (!page) { return; }
  var url = page.getAttribute("data-live");
  function apply(fields) {
    Object.keys(fields).forEach(function (id) {
      var element = document.getElementById(id);
      if (!element) { return; }
      var value = fields[id];
      if (element.tagName === "METER") {
        var number = value === "" ? 0 : Number(value);
        element.value = number;
        element.textContent = number + "%";
      } else if (element.textContent !== value) {
        element.textContent = value;
      }
    });
    page.setAttribute("data-live-updated", String(Date.now()));
  }
  var polling = null;
  function poll() {
    if (polling) { return; }
    polling = window.setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (fields) { if (fields) { apply(fields); } })
        .catch(function () { /* offline: keep what is shown */ });
    }, 15000);
  }
  if (!("EventSource" in window)) { poll(); return; }
  var source = new EventSource(url);
  source.addEventListener("votes", function (event) {
    try { apply(JSON.parse(event.data)); } catch (error) { /* ignore a broken message */ }
  });
  var failures = 0;
  source.addEventListener("open", function () { failures = 0; });
  source.addEventListener("error", function () {
    failures += 1;
    // Closed for good, or a proxy keeps cutting the stream: fall back to polling.
    if (source.readyState === EventSource.CLOSED || failures >= 3) {
      source.close();
      poll();
    }
  });
})();
