/* Pages where teachers add articles: an over-long paste is refused before it is sent,
 * because past the request limit the server can only answer with a bare error page. */
(function () {
  "use strict";

  // Counted as the server counts: code points, with each line break sent as CR LF.
  function sentLength(text) {
    return Array.from(text).length + (text.match(/\n/g) || []).length;
  }

  document.addEventListener("submit", function (event) {
    var area = event.target.querySelector("textarea[data-max-chars]");
    if (!area) return;
    var limit = Number(area.dataset.maxChars);
    var length = sentLength(area.value);
    var message = event.target.querySelector("[data-paste-limit]");
    if (length <= limit) {
      if (message) message.hidden = true;
      return;
    }
    event.preventDefault();
    if (message) {
      message.textContent = "The pasted text is " + length.toLocaleString("en") + " characters long; paste at most " +
        limit.toLocaleString("en") + ", or upload it as a file.";
      message.hidden = false;
    }
    area.focus();
  });
})();
