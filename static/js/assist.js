/* Suggestions in the reader: dotted underlines under the suggested spans, the span of the card
 * in hand marked, and keyboard focus that survives accepting or dismissing a card.
 *
 * The underlines use the CSS Custom Highlight API, so the reader's own highlight markup is
 * never touched; where the API is missing the cards still work without underlines. Cards carry
 * code-point offsets (DESIGN.md); window.Annotator.pointAt (static/js/site.js) maps them into
 * the text.
 */
(function () {
  "use strict";

  var LABELS = ["attributed", "disputed", "editorialized"];
  var CURRENT = "assist-current";
  var canHighlight = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  var focusAfterSwap = null;

  function panel() { return document.getElementById("assist"); }
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("#assist .assist-card")); }

  function rangeOf(card) {
    var mapper = window.Annotator;
    if (!mapper || !mapper.pointAt) return null;
    var start = mapper.pointAt(+card.dataset.start), end = mapper.pointAt(+card.dataset.end);
    if (!start || !end) return null;
    var range = document.createRange();
    range.setStart(start.node, start.offset);
    range.setEnd(end.node, end.offset);
    return range;
  }

  function highlightOf(ranges) {
    var highlight = new Highlight();
    ranges.forEach(function (range) { highlight.add(range); });
    return highlight;
  }

  function paint() {
    if (!canHighlight) return;
    var byLabel = {};
    LABELS.forEach(function (label) { byLabel[label] = []; });
    cards().forEach(function (card) {
      var range = rangeOf(card);
      if (!range) return;
      // A passage with two readings is underlined for each of its labels.
      card.dataset.labels.split(" ").forEach(function (label) {
        if (byLabel[label]) byLabel[label].push(range);
      });
    });
    LABELS.forEach(function (label) {
      var name = "assist-" + label;
      if (byLabel[label].length) CSS.highlights.set(name, highlightOf(byLabel[label]));
      else CSS.highlights.delete(name);
    });
    CSS.highlights.delete(CURRENT);
  }

  function markCurrent(card) {
    cards().forEach(function (other) { other.classList.toggle("is-current", other === card); });
    if (!canHighlight) return null;
    var range = card && rangeOf(card);
    if (range) CSS.highlights.set(CURRENT, highlightOf([range]));
    else CSS.highlights.delete(CURRENT);
    return range;
  }

  function showInText(card) {
    var range = markCurrent(card) || rangeOf(card);
    if (!range) return;
    var box = range.getBoundingClientRect();
    window.scrollTo({ top: window.scrollY + box.top - window.innerHeight / 3, behavior: "smooth" });
  }

  /* After a swap, focus lands where the reader was: the card now in the same place, else the
   * heading (a dismissed last card), else the toggle. */
  function restoreFocus() {
    if (!focusAfterSwap) return;
    var target = focusAfterSwap.toggle ? document.getElementById("assist-toggle") : null;
    if (!target) {
      var list = cards();
      target = list[Math.min(focusAfterSwap.index, list.length - 1)] || document.getElementById("assist-heading");
    }
    focusAfterSwap = null;
    if (target) target.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#assist [data-action=show-suggestion]");
    if (button) showInText(button.closest(".assist-card"));
  });

  ["focusin", "mouseover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var card = event.target.closest && event.target.closest("#assist .assist-card");
      if (card && !card.classList.contains("is-current")) markCurrent(card);
    });
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    if (!panel() || !panel().contains(source)) return;
    var card = source.closest(".assist-card");
    focusAfterSwap = card ? { index: cards().indexOf(card) } : { toggle: source.id === "assist-toggle" };
  });

  // The panel replaced itself, or the reader re-rendered the text the ranges pointed into:
  // redraw at once, and move focus once htmx has settled the new content.
  document.addEventListener("htmx:afterSwap", paint);
  document.addEventListener("htmx:afterSettle", restoreFocus);

  document.addEventListener("DOMContentLoaded", paint);
})();
