/* Annotator reader: turns a browser selection into a claim.
 *
 * Offsets sent to the server are Unicode code points into Article.body. The page
 * carries the body as JSON and every text segment carries `data-o`, its code-point
 * offset, so a DOM point converts exactly even with emoji or flags before it
 * (browsers count UTF-16 code units; a flag is 4 of them but 2 code points).
 */
(function () {
  "use strict";

  // Zero-width (non-)joiners sit inside Persian words ("می‌شود").
  var WORD = /[\p{L}\p{N}\p{M}_'’\u200c\u200d-]/u;
  var SPACE = /\s/u;
  var RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
  var state = { chars: null, start: 0, end: 0 };

  function textRoot() { return document.getElementById("article-text"); }
  function toolbar() { return document.getElementById("toolbar"); }

  function loadBody() {
    var data = document.getElementById("article-body");
    if (data && !state.chars) state.chars = Array.from(JSON.parse(data.textContent));
    return state.chars;
  }

  function cpLength(s) { var n = 0; for (var _ of s) n++; return n; }

  function utf16Index(s, cp) {
    var i = 0;
    for (var c = 0; c < cp && i < s.length; c++) {
      var code = s.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < s.length ? 2 : 1;
    }
    return i;
  }

  /* A DOM boundary point -> code-point offset in the body. `root` and `chars` default to
     the reader's article; another rendered body (the link picker's) passes its own. */
  function offsetOf(node, offset, root, chars) {
    root = root || textRoot();
    chars = chars || state.chars;
    if (node.nodeType === Node.TEXT_NODE) {
      var seg = node.parentElement.closest("[data-o]");
      if (seg && root.contains(seg)) return +seg.dataset.o + cpLength(node.data.slice(0, offset));
    }
    // Between elements or inside screen-reader text: use the next text segment.
    var point = document.createRange();
    point.setStart(node, offset);
    var segs = root.querySelectorAll("[data-o]");
    for (var i = 0; i < segs.length; i++) {
      if (point.comparePoint(segs[i], 0) >= 0) return +segs[i].dataset.o;
    }
    return chars.length;
  }

  /* The text segments of a rendered body and their offsets, read once per body: a reader
     with thousands of highlights has thousands of segments, and the suggestions map dozens
     of offsets when the page starts. A redrawn body is a new element, so a new entry. */
  var segmentCache = new WeakMap();
  function segmentsOf(root) {
    var known = segmentCache.get(root);
    if (!known || (known.segs.length && !known.segs[0].isConnected) || root.querySelector("[data-o]") !== known.segs[0]) {
      var segs = Array.from(root.querySelectorAll("[data-o]"));
      known = { segs: segs, offsets: segs.map(function (seg) { return +seg.dataset.o; }) };
      segmentCache.set(root, known);
    }
    return known;
  }

  /* Code-point offset -> DOM boundary point (for showing a snapped selection). */
  function pointAt(cp, root) {
    var known = segmentsOf(root || textRoot());
    var offsets = known.offsets, low = 0, high = offsets.length - 1, at = -1;
    while (low <= high) {  // the last segment starting at or before cp
      var middle = (low + high) >> 1;
      if (offsets[middle] <= cp) { at = middle; low = middle + 1; } else high = middle - 1;
    }
    if (at < 0) return null;
    var best = known.segs[at];
    var text = best.firstChild;
    var within = Math.min(cp - offsets[at], cpLength(text.data));
    return { node: text, offset: utf16Index(text.data, within) };
  }

  /* Trim white space, then widen to whole words. */
  function snap(start, end, chars) {
    var c = chars || state.chars;
    while (start < end && SPACE.test(c[start])) start++;
    while (end > start && SPACE.test(c[end - 1])) end--;
    if (start >= end) return null;
    while (start > 0 && WORD.test(c[start - 1]) && WORD.test(c[start])) start--;
    while (end < c.length && WORD.test(c[end]) && WORD.test(c[end - 1])) end++;
    return { start: start, end: end };
  }

  function showSelection(start, end, root) {
    var a = pointAt(start, root), b = pointAt(end, root);
    if (!a || !b) return;
    var range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function readSelection(adjustDom) {
    var sel = window.getSelection();
    var root = textRoot();
    if (!root || !sel.rangeCount || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    loadBody();
    var span = snap(offsetOf(range.startContainer, range.startOffset), offsetOf(range.endContainer, range.endOffset));
    if (span && adjustDom) showSelection(span.start, span.end);
    return span;
  }

  function openToolbar(span) {
    var form = toolbar();
    if (!form || !span) return;
    state.start = span.start; state.end = span.end;
    var exact = state.chars.slice(span.start, span.end).join("");
    form.elements.start.value = span.start;
    form.elements.end.value = span.end;
    form.elements.exact.value = exact;
    document.getElementById("toolbar-quote").textContent = "“" + exact + "”";
    document.getElementById("toolbar-error").textContent = "";
    form.hidden = false;
    var sel = window.getSelection();
    if (sel.rangeCount && window.matchMedia("(min-width: 601px)").matches) {
      var rect = sel.getRangeAt(0).getBoundingClientRect();
      var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - form.offsetWidth - 8));
      form.style.left = left + "px";
      form.style.top = rect.bottom + window.scrollY + 10 + "px";
    }
    announce("Selected: " + exact + ". Press 1 for attributed, 2 for editorialized, 3 for disputed, Enter for the form.");
  }

  function closeToolbar() {
    var form = toolbar();
    if (!form || form.hidden) return;
    form.hidden = true;
    form.reset();
  }

  function announce(text) {
    var live = document.getElementById("selection-status");
    if (live) live.textContent = text;
  }

  function chooseLabel(index) {
    var form = toolbar();
    var radios = form.querySelectorAll("input[name=label]");
    if (!radios[index]) return;
    radios[index].checked = true;
    // Attributed claims usually name a source, and a key claim wants its explanation:
    // ask for it before saving rather than saving at once.
    var ask = radios[index].value === "attributed" ? form.elements.source : form.elements.explanation;
    if (ask) {
      ask.focus();
    } else {
      form.requestSubmit();
    }
  }

  /* Keyboard selection: S selects the next sentence, Shift+S the previous one;
     Shift+Arrow moves the end by a word, Alt+Shift+Arrow moves the start. */
  function sentenceAfter(from, backwards, chars) {
    var c = chars || state.chars, n = c.length, bounds = [], s = 0;
    for (var i = 0; i <= n; i++) {
      var atEnd = i === n || c[i] === "\n" || (SPACE.test(c[i]) && /[.!?\u061f\u06d4]["”’)»]?$/.test((c[i - 2] || "") + (c[i - 1] || "")));
      if (atEnd) { var sp = snap(s, i, c); if (sp) bounds.push(sp); s = i; }
    }
    if (backwards) {
      for (var j = bounds.length - 1; j >= 0; j--) if (bounds[j].start < from) return bounds[j];
      return bounds[0];
    }
    for (var k = 0; k < bounds.length; k++) if (bounds[k].start >= from) return bounds[k];
    return bounds[bounds.length - 1];
  }

  function moveByWord(pos, direction, chars) {
    var c = chars || state.chars;
    if (direction > 0) {
      while (pos < c.length && !WORD.test(c[pos])) pos++;
      while (pos < c.length && WORD.test(c[pos])) pos++;
    } else {
      while (pos > 0 && !WORD.test(c[pos - 1])) pos--;
      while (pos > 0 && WORD.test(c[pos - 1])) pos--;
    }
    return pos;
  }

  /* Shift+arrows move in reading order, as the eye sees the word the selection ends on: in
     Hebrew or Arabic ← goes forward, in a Latin quote inside them → does. Digits and
     punctuation follow their paragraph. */
  function arrowStep(key, pos) {
    var last = state.chars[Math.max(pos - 1, 0)] || "";
    var rtl = RTL.test(last);
    if (!rtl && !/\p{L}/u.test(last)) {
      var point = pointAt(Math.max(pos - 1, 0));
      var block = point && point.node.parentElement.closest("[data-p]");
      rtl = Boolean(block) && getComputedStyle(block).direction === "rtl";
    }
    return (key === "ArrowRight") !== rtl ? 1 : -1;
  }

  function onArticleKey(event) {
    var root = textRoot();
    if (!root || !toolbar()) return;
    loadBody();
    var current = readSelection(false);
    var key = event.key;
    // event.code too: on a Russian, Arabic or Hebrew layout the S key types ы, س or ד.
    if ((key === "s" || key === "S" || event.code === "KeyS") && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var from = current ? (event.shiftKey ? current.start : current.end) : 0;
      var sentence = sentenceAfter(from, event.shiftKey);
      if (sentence) { showSelection(sentence.start, sentence.end); openToolbar(sentence); }
      event.preventDefault();
    } else if (event.shiftKey && (key === "ArrowRight" || key === "ArrowLeft") && current) {
      var dir = arrowStep(key, current.end);
      var start = current.start, end = current.end;
      if (event.altKey) start = moveByWord(start, dir); else end = moveByWord(end, dir);
      var span = snap(Math.min(start, end), Math.max(start, end));
      if (span) { showSelection(span.start, span.end); openToolbar(span); }
      event.preventDefault();
    } else if (/^[123]$/.test(key) && current && !toolbar().hidden) {
      chooseLabel(+key - 1);
      event.preventDefault();
    } else if (key === "Enter" && current && !toolbar().hidden) {
      toolbar().querySelector("input[name=label]").focus();
      event.preventDefault();
    } else if (key === "Escape") {
      closeToolbar();
      window.getSelection().removeAllRanges();
    }
  }

  /* The drawn claims, decoded once from the text's compact data-geometry (see
     rendering.geometry): [{id, start, end, label}] in the order of the text, which is the
     sidebar's order. A redrawn reader is a new element, so it is decoded afresh. */
  var geometry = { source: null, claims: [] };
  function drawnClaims() {
    var data = textRoot();
    if (!data || !data.dataset.geometry) return [];
    if (geometry.source !== data) {
      var g = JSON.parse(data.dataset.geometry), claims = [], id = 0, start = 0;
      for (var i = 0; i < g.ids.length; i++) {
        id += g.ids[i]; start += g.starts[i];
        claims.push({ id: id, start: start, end: start + g.lengths[i], label: g.labels[+g.label[i]] });
      }
      geometry.source = data; geometry.claims = claims;
    }
    return geometry.claims;
  }

  /* The claims under a highlighted segment, innermost (shortest) first, as its colour is. */
  function claimsAt(mark) {
    var at = +mark.dataset.o;
    return drawnClaims().filter(function (c) { return c.start <= at && at < c.end; })
      .sort(function (a, b) { return (a.end - a.start) - (b.end - b.start) || b.id - a.id; });
  }

  function focusClaim(id) {
    var card = document.getElementById("claim-" + id);
    document.querySelectorAll(".is-current").forEach(function (el) { el.classList.remove("is-current"); });
    var pageOf = document.getElementById("claim-page");
    if (!card && pageOf && window.htmx) {
      // The sidebar lists a page of cards; fetch the page that holds this one, then focus it.
      var claims = drawnClaims(), index = -1;
      for (var i = 0; i < claims.length; i++) if (String(claims[i].id) === String(id)) { index = i; break; }
      if (index < 0) return;
      var params = new URLSearchParams(new FormData(document.getElementById("claim-filters")));
      var size = +pageOf.dataset.cards || 25;
      params.set("cards", size);
      params.set("from", index - index % size);
      var url = document.getElementById("reader").getAttribute("hx-get") + "?" + params.toString();
      window.htmx.ajax("GET", url, { target: "#claim-page", source: pageOf }).then(function () {
        if (document.getElementById("claim-" + id)) focusClaim(id);
      });
      return;
    }
    if (!card) return;
    card.classList.add("is-current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function showClaim(id) {
    document.querySelectorAll(".is-current").forEach(function (el) { el.classList.remove("is-current"); });
    var claim = drawnClaims().filter(function (c) { return String(c.id) === String(id); })[0];
    var marks = !claim ? [] : Array.from(document.querySelectorAll("#article-text mark[data-o]")).filter(function (m) {
      var at = +m.dataset.o;
      return claim.start <= at && at < claim.end;
    });
    marks.forEach(function (m) { m.classList.add("is-current"); });
    if (marks[0]) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    var card = document.getElementById("claim-" + id);
    if (card) card.classList.add("is-current");
  }

  document.addEventListener("mouseup", function (event) {
    var root = textRoot();
    if (!root || !toolbar() || !root.contains(event.target)) return;
    var span = readSelection(true);
    if (span) { openToolbar(span); return; }
    var mark = event.target.closest("mark.hl");
    var under = mark ? claimsAt(mark) : [];
    if (under.length) focusClaim(under[0].id);
  });

  // Touch devices change the selection with handles and never send mouseup.
  var touchTimer = null;
  document.addEventListener("selectionchange", function () {
    if (!window.matchMedia("(pointer: coarse)").matches) return;
    clearTimeout(touchTimer);
    touchTimer = setTimeout(function () { var span = readSelection(false); if (span) openToolbar(span); }, 400);
  });

  document.addEventListener("click", function (event) {
    var root = textRoot();
    var mark = event.target.closest("mark.hl");
    var under = mark && !toolbar() ? claimsAt(mark) : [];
    if (under.length) focusClaim(under[0].id);
    var action = event.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "cancel-selection") { closeToolbar(); window.getSelection().removeAllRanges(); if (root) root.focus(); }
    if (action.dataset.action === "show-claim") showClaim(action.dataset.claim);
  });

  document.addEventListener("keydown", function (event) {
    if (event.target === textRoot() || event.target === document.body) { onArticleKey(event); return; }
    var form = toolbar();
    if (form && !form.hidden && form.contains(event.target)) {
      if (event.key === "Escape") { closeToolbar(); textRoot().focus(); }
      var typing = event.target.matches("input[type=text], textarea");
      if (!typing && /^[123]$/.test(event.key)) { chooseLabel(+event.key - 1); event.preventDefault(); }
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    // A refused claim (4xx) is swapped into the toolbar as a "successful" response: keep it open to show why.
    if (event.target === toolbar() && event.detail.successful && event.detail.xhr.status < 400) {
      closeToolbar();
      window.getSelection().removeAllRanges();
      announce("Claim saved.");
      var root = textRoot();
      if (root) root.focus({ preventScroll: true });
    }
  });

  // A page of cards replaced the one holding the focus (the pager's link): say where the list is now.
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = document.getElementById("claim-page-status");
    if (event.target.id === "claim-page" && status && !event.target.querySelector(".is-current")) status.focus();
  });

  // A refused action answers with its message and the place that shows it (HX-Retarget, see
  // annotator/htmx.py). The htmx config swaps a 422; this swaps every other 4xx that names its
  // place as well (403, 404, 409: a stale edit form redrawn from the current claim, say).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400 && status < 500 && event.detail.xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Shared with the other reader scripts (suggestions, link picker), which need the same
  // offset mapping. Without `root` and `chars` they work on the reader's article; the link
  // picker passes its own rendered body and Array.from(body).
  window.Annotator = {
    pointAt: function (cp, root) { if (!root) loadBody(); return pointAt(cp, root); },
    offsetOf: function (node, offset, root, chars) { if (!chars) loadBody(); return offsetOf(node, offset, root, chars); },
    snap: function (start, end, chars) { if (!chars) loadBody(); return snap(start, end, chars); },
    showSelection: function (start, end, root) { if (!root) loadBody(); showSelection(start, end, root); },
    sentenceAfter: function (from, backwards, chars) { if (!chars) loadBody(); return sentenceAfter(from, backwards, chars); },
    moveByWord: function (pos, direction, chars) { if (!chars) loadBody(); return moveByWord(pos, direction, chars); },
    readSelection: readSelection,
    drawnClaims: drawnClaims,
    cpLength: cpLength,
    utf16Index: utf16Index,
  };

  document.addEventListener("DOMContentLoaded", function () {
    var match = /^#claim-(\d+)$/.exec(window.location.hash);
    if (match) { showClaim(match[1]); focusClaim(match[1]); }
  });
})();
