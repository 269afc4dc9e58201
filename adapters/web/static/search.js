// Autocomplete for the compare form: suggestions from /api/v1/tools as you type. Without this
// file the form still works: any name the catalog knows (typos forgiven) finds its page.
(function () {
  "use strict";
  var list = document.getElementById("tool-names");
  if (!list) { return; }
  var timer = null;
  var last = "";
  function suggest(prefix) {
    if (prefix === last) { return; }
    last = prefix;
    fetch("/api/v1/tools?q=" + encodeURIComponent(prefix), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { tools: [] }; })
      .then(function (body) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        body.tools.forEach(function (tool) {
          var option = document.createElement("option");
          option.value = tool.name;
          list.appendChild(option);
        });
      })
      .catch(function () { /* keep the old suggestions */ });
  }
  document.querySelectorAll("input[list=tool-names]").forEach(function (input) {
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var prefix = input.value.trim();
      if (!prefix) { return; }
      timer = window.setTimeout(function () { suggest(prefix); }, 120);
    });
  });
})();
