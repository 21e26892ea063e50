// Switchboard: follows a running run's log over server-sent events. Loaded as a file (the console's
// Content-Security-Policy allows no inline script); lines are added as text, never as HTML.
(function () {
  "use strict";

  function line(l) {
    return (l.at || "") + " " + (l.step || "-") + " " + (l.stream || "") + ": " + (l.message || "") + "\n";
  }

  function follow(pre) {
    var source = new EventSource(pre.getAttribute("data-stream"));
    source.addEventListener("log", function (event) {
      pre.appendChild(document.createTextNode(line(JSON.parse(event.data))));
    });
    source.addEventListener("end", function () {
      source.close();
      pre.removeAttribute("data-stream");
      var note = document.getElementById("logs-live");
      if (note) {
        note.textContent = "The run has ended; reload the page for its final state.";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("pre[data-stream]").forEach(follow);
  });
})();
