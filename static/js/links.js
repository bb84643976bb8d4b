/* Linking a claim to a passage of another article (the panel behind "Find in other articles").
 *
 * The panel's content comes from the server through htmx; this script only chooses the
 * target: a listed passage ("Link this passage"), or any span the reader selects with the
 * mouse, touch or keyboard in an article opened inside the panel. Offsets are code points
 * into that article's body, converted exactly like the reader's own selection (see
 * window.Annotator in site.js), with the body taken from the picker's data-body.
 */
(function () {
  "use strict";

  var pending = null; // {claim, message} after a save, until the reader has redrawn

  function A() { return window.Annotator; }

  function statusRegion() {
    var live = document.getElementById("links-status");
    if (!live) {
      live = document.createElement("div");
      live.id = "links-status";
      live.className = "sr-only";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    return live;
  }

  function announce(text, panel) {
    var live = (panel && panel.querySelector("[data-link-status]")) || statusRegion();
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 30);
  }

  function panelOf(el) { return el && el.closest("[data-link-panel]"); }
  function openerOf(claimId) { return document.querySelector('[data-link-open="' + claimId + '"]'); }

  function closePanel(panel, restoreFocus) {
    if (!panel) return;
    var claimId = panel.dataset.linkPanel;
    var slot = panel.parentElement;
    if (slot) slot.innerHTML = "";
    var opener = openerOf(claimId);
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (restoreFocus) opener.focus();
    }
  }

  function closeOtherPanels(keep) {
    document.querySelectorAll("[data-link-panel]").forEach(function (panel) {
      if (panel !== keep) closePanel(panel, false);
    });
  }

  /* The form at the foot of the panel, filled with the chosen target. */
  function chooseTarget(panel, target, moveFocus) {
    var form = panel.querySelector("[data-link-form]");
    if (!form) return;
    form.elements.to_article.value = target.article;
    form.elements.to_start.value = target.start;
    form.elements.to_end.value = target.end;
    form.elements.to_exact.value = target.exact;
    var chosen = form.querySelector("[data-link-chosen]");
    chosen.textContent = "";
    var label = document.createElement("span");
    label.className = "lp-chosen-label";
    label.textContent = form.dataset.chosenLabel;
    var quote = document.createElement("q");
    quote.textContent = target.exact.length > 320 ? target.exact.slice(0, 319) + "…" : target.exact;
    var where = document.createElement("span");
    where.className = "lp-chosen-where";
    where.textContent = "in " + target.title;
    chosen.appendChild(label);
    chosen.appendChild(quote);
    chosen.appendChild(where);
    chosen.classList.add("is-chosen");
    form.querySelector("[data-link-details]").hidden = false;
    var error = form.querySelector("[role=alert]");
    if (error) error.textContent = "";
    announce("Chosen: " + target.exact + ", in " + target.title + ". " + form.dataset.nextStep, panel);
    if (moveFocus) {
      var radio = form.querySelector("input[name=relation]:checked") || form.querySelector("input[name=relation]");
      if (radio) radio.focus();
    }
  }

  /* The article opened inside the panel. */
  function pickerOf(el) { return el && el.closest("[data-picker]"); }

  function pickerState(picker) {
    if (!picker._chars) picker._chars = Array.from(picker.dataset.body || "");
    return { root: picker.querySelector(".lp-text"), chars: picker._chars };
  }

  function targetFrom(picker, span) {
    var s = pickerState(picker);
    return {
      article: picker.dataset.article, title: picker.dataset.title,
      start: span.start, end: span.end, exact: s.chars.slice(span.start, span.end).join(""),
    };
  }

  function readPickerSelection(picker) {
    var s = pickerState(picker);
    var sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!s.root.contains(range.startContainer) || !s.root.contains(range.endContainer)) return null;
    var start = A().offsetOf(range.startContainer, range.startOffset, s.root, s.chars);
    var end = A().offsetOf(range.endContainer, range.endOffset, s.root, s.chars);
    return A().snap(Math.min(start, end), Math.max(start, end), s.chars);
  }

  function selectInPicker(picker, span, moveFocus) {
    if (!span) return;
    A().showSelection(span.start, span.end, pickerState(picker).root);
    picker._span = span;
    chooseTarget(panelOf(picker), targetFrom(picker, span), moveFocus);
  }

  function setUpPicker(picker) {
    var s = pickerState(picker);
    var start = parseInt(picker.dataset.start, 10), end = parseInt(picker.dataset.end, 10);
    if (!isNaN(start) && !isNaN(end)) {
      var span = A().snap(start, end, s.chars);
      if (span) {
        selectInPicker(picker, span, false);
        var point = A().pointAt(span.start, s.root);
        var el = point && point.node.parentElement;
        if (el) el.scrollIntoView({ block: "center" });
      }
    }
    s.root.focus({ preventScroll: true });
    announce("Opened " + picker.dataset.title + ". Select the words to link.", panelOf(picker));
  }

  function onPickerKey(event, picker) {
    var s = pickerState(picker);
    var key = event.key;
    var current = readPickerSelection(picker);
    if ((key === "s" || key === "S") && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var from = current ? (event.shiftKey ? current.start : current.end) : 0;
      selectInPicker(picker, A().sentenceAfter(from, event.shiftKey, s.chars), false);
      event.preventDefault();
    } else if (event.shiftKey && (key === "ArrowRight" || key === "ArrowLeft") && current) {
      var dir = key === "ArrowRight" ? 1 : -1;
      var a = current.start, b = current.end;
      if (event.altKey) a = A().moveByWord(a, dir, s.chars); else b = A().moveByWord(b, dir, s.chars);
      selectInPicker(picker, A().snap(Math.min(a, b), Math.max(a, b), s.chars), false);
      event.preventDefault();
    } else if (key === "Enter" && picker._span) {
      var radio = panelOf(picker).querySelector("input[name=relation]");
      if (radio) radio.focus();
      event.preventDefault();
    }
  }

  // A passage chosen from the list, or the panel closed.
  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-link-pick]");
    if (pick) {
      var d = pick.dataset;
      chooseTarget(panelOf(pick), { article: d.article, title: d.title, start: +d.start, end: +d.end, exact: d.exact }, true);
      return;
    }
    var close = event.target.closest("[data-link-close]");
    if (close) closePanel(panelOf(close), true);
  });

  document.addEventListener("mouseup", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || !event.target.closest(".lp-text")) return;
    var span = readPickerSelection(picker);
    if (span) selectInPicker(picker, span, false);
  });

  // Touch devices move the selection with handles and never send mouseup.
  var touchTimer = null;
  document.addEventListener("selectionchange", function () {
    if (!window.matchMedia("(pointer: coarse)").matches) return;
    var sel = window.getSelection();
    var picker = sel.rangeCount ? pickerOf(sel.anchorNode && sel.anchorNode.parentElement) : null;
    if (!picker) return;
    clearTimeout(touchTimer);
    touchTimer = setTimeout(function () {
      var span = readPickerSelection(picker);
      if (span) { picker._span = span; chooseTarget(panelOf(picker), targetFrom(picker, span), false); }
    }, 400);
  });

  document.addEventListener("keydown", function (event) {
    var panel = panelOf(event.target);
    if (!panel) return;
    if (event.target.classList.contains("lp-text")) {
      if (event.key === "Escape" && !window.getSelection().isCollapsed) {
        window.getSelection().removeAllRanges();
        event.preventDefault();
        return;
      }
      onPickerKey(event, pickerOf(event.target));
    }
    // Escape in a search box that holds words clears the words, not the panel.
    if (event.key === "Escape" && event.target.matches("input[type=search]") && event.target.value) return;
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      closePanel(panel, true);
    }
  });

  // A panel opens once it has settled, not when it is swapped in: htmx makes its buttons
  // live only then, and focus must not reach a button that a quick Enter would find inert.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList.contains("link-panel-slot")) return;
    var panel = target.querySelector("[data-link-panel]");
    if (!panel) return;
    closeOtherPanels(panel);
    var opener = openerOf(panel.dataset.linkPanel);
    if (opener) opener.setAttribute("aria-expanded", "true");
    panel.querySelector("h3").focus();
    var summary = panel.querySelector("[data-link-summary]");
    if (summary) announce(summary.textContent.trim(), panel);
  });

  // The picker and the redrawn reader are set up at once, before anyone can select in them.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.classList.contains("lp-browse")) {
      var picker = target.querySelector("[data-picker]");
      if (picker) { target.scrollTop = 0; setUpPicker(picker); return; }
      target.scrollTop = 0;
      var found = target.querySelector("[data-link-summary]");
      if (found) announce(found.textContent.trim(), panelOf(target));
      return;
    }
    if (target.id === "reader" && pending) {
      var card = document.getElementById("claim-" + pending.claim);
      if (card) {
        card.classList.add("is-current");
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: "nearest" });
      }
      announce(pending.message);
      pending = null;
    }
  });

  // A link saved or deleted: the reader redraws itself (it listens for the same event).
  document.body.addEventListener("claims-changed", function (event) {
    var detail = event.detail || {};
    if (detail.claim) pending = { claim: detail.claim, message: detail.message || "Saved." };
  });

  /* Arriving at a linked passage (#passage-N, from a claim card elsewhere): show it. */
  function showPassage() {
    var match = /^#passage-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    document.querySelectorAll(".lt.is-current, .backlink.is-current").forEach(function (el) { el.classList.remove("is-current"); });
    var segments = document.querySelectorAll('[data-link~="' + match[1] + '"]');
    segments.forEach(function (el) { el.classList.add("is-current"); });
    if (segments[0]) segments[0].scrollIntoView({ block: "center" });
    var backlink = document.getElementById("backlink-" + match[1]);
    if (backlink) backlink.classList.add("is-current");
  }

  window.addEventListener("hashchange", showPassage);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showPassage);
  else showPassage();
})();
