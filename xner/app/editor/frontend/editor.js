// The projection editor (Streamlit components v2, plain ES module, no build step).
//
// Streamlit calls the default export again whenever its data changes, with the same
// parentElement, so the editor is kept on that element and only re-renders; edits made
// here survive reruns for as long as the item and revision stay the same. The key is a
// global symbol, not a module-level map: Streamlit may load this module afresh (a new
// blob URL) for an element that already holds an editor.
//
// Input (data): see xner/app/editor/model.py editor_input, plus visit and current from
// component.py render_editor. Output: the state "value", {item, revision, visit,
// entities: [[start, end, label]], sources: [source index | null], edits, action}.
//
// data.gate (optional) guards the page's decision keys: {keys: ["a", "x", "space"], min_ms,
// prefix, marker}. A decision key counts only when the decision buttons on the page are
// this item's (every element whose class starts with prefix has the class marker) and the
// item has been painted for min_ms; else it is dropped before Streamlit sees it, and the
// editor says so once per item.

const EDITOR = Symbol.for("xner.projection-editor");
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
  "#bcbd22", "#7f7f7f"];
const NO_SOURCE = "#6b7280";
const SVG = "http://www.w3.org/2000/svg";

const colour = (source) => (source === null || source === undefined ? NO_SOURCE : PALETTE[source % PALETTE.length]);
const byStart = (a, b) => a.start - b.start || a.end - b.end;
const overlaps = (a, b) => a.start < b.end && b.start < a.end;

function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "style") node.style.cssText = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  if (text !== null) node.textContent = text;
  return node;
}

class Editor {
  constructor(parent) {
    this.parent = parent;
    this.data = null;
    this.root = el("div", { class: "xe", tabindex: "0", "data-testid": "projection-editor" });
    parent.appendChild(this.root);
    this.drag = null;
    this.onMouseUp = (event) => this.endDrag(event);
    window.addEventListener("mouseup", this.onMouseUp);
    this.root.addEventListener("keydown", (event) => this.key(event));
    this.resize = new ResizeObserver(() => this.drawLinks());
    this.resize.observe(this.root);
    // capture on window: before Streamlit's shortcut handler (on document) sees the key
    this.onGate = (event) => this.gateKey(event);
    window.addEventListener("keydown", this.onGate, true);
    this.shownAt = null;
    this.dropped = 0;
    this.acked = 0;
    // leaving the page (reload, another address) before the server has stored the last
    // edits: the browser asks first (on the review page, which stores them)
    this.onLeave = (event) => {
      if (this.data && this.data.gate && this.edits > this.acked) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", this.onLeave);
  }

  // "saving…" while the server has not stored the last edits yet
  showSaving() {
    const pending = this.edits > (this.acked || 0);
    this.root.dataset.unsaved = pending ? String(this.edits - this.acked) : "0";
    const mark = this.root.querySelector('[data-testid="editor-saving"]');
    if (mark) mark.hidden = !pending;
  }

  destroy() {
    window.removeEventListener("beforeunload", this.onLeave);
    window.removeEventListener("keydown", this.onGate, true);
    window.removeEventListener("mouseup", this.onMouseUp);
    this.resize.disconnect();
    this.root.remove();
  }

  update(data, setStateValue) {
    this.setStateValue = setStateValue;
    const same = (a, b) => a.item === b.item && a.revision === b.revision && a.visit === b.visit;
    const fresh = !this.data || !same(this.data, data);
    const current = data.current && same(data.current, data) ? data.current : null;
    const { current: _, ...given } = data;
    const echo = !fresh && JSON.stringify(given) === this.given;
    this.given = JSON.stringify(given);
    // the edits the server has seen (its run stored them before drawing this editor)
    const seen = current ? current.edits : 0;
    this.acked = fresh ? seen : Math.max(this.acked || 0, seen);
    this.showSaving();
    this.data = data;
    if (echo && !(current && current.edits > this.edits)) {
      // Python echoing the editor's own value back: redrawing now could swallow a click
      // whose mousedown and mouseup would land on different (rebuilt) elements.
      return;
    }
    if (fresh) {
      this.original = data.target_entities.map(([start, end, label, source, score, detail]) =>
        ({ start, end, label, source, score, detail }));
      this.entities = this.original.map((e) => ({ ...e }));
      this.edits = 0;
      this.action = "";
      this.selection = null;
      this.anchor = null;
      this.focus = null;
      this.hover = null;
      this.preview = null;
      this.dropped = 0;
      this.shownAt = null;
      if (current) this.adopt(current);
    } else if (current && current.edits > this.edits) {
      this.adopt(current);
    }
    this.render();
    if (fresh) {
      // painted once the frame after next begins: from then on the reviewer could see it
      const shown = this.data;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        if (this.data === shown || (this.data && same(this.data, shown))) this.shownAt = performance.now();
      }));
    }
  }

  // --- the decision keys' gate -----------------------------------------------------

  gateKey(event) {
    const gate = this.data && this.data.gate;
    if (!gate || event.ctrlKey || event.metaKey || event.altKey) return;
    const name = event.key === " " ? "space" : event.key.replace(/^Arrow/, "").toLowerCase();
    if (!gate.keys.includes(name)) return;
    const target = event.target;
    const typing = target && target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (typing || this.consumes(event)) return;
    const buttons = Array.from(document.querySelectorAll(`[class*="${gate.prefix}"]`));
    const ours = buttons.length > 0 && buttons.every((b) => b.classList.contains(gate.marker));
    const shown = this.shownAt === null ? 0 : performance.now() - this.shownAt;
    if (ours && this.shownAt !== null && shown >= gate.min_ms) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    this.dropped += 1;
    this.droppedAfter = Math.round(shown);
    this.render();
  }

  // Whether the editor itself takes this key (a selection is being labelled or deleted).
  consumes(event) {
    if (!this.selection) return false;
    const labels = this.data.labels;
    if (["Escape", "Delete", "Backspace"].includes(event.key)) return true;
    if (/^[1-9]$/.test(event.key) && Number(event.key) <= labels.length) return true;
    return event.key.length === 1 && labels.some((l) => l[0].toLowerCase() === event.key.toLowerCase());
  }

  adopt(current) {
    this.entities = current.entities.map(([start, end, label], k) =>
      ({ start, end, label, source: current.sources ? current.sources[k] : null }));
    this.edits = current.edits;
    this.action = current.action || "";
  }

  // --- what is shown -------------------------------------------------------------

  focused() {
    return this.hover !== null ? this.hover : this.focus;
  }

  entityAt(j) {
    return this.entities.findIndex((e) => e.start <= j && j < e.end);
  }

  // The score shown for a span ({score, detail}: 0–1, and how it was reached), or null.
  score(entity) {
    if (entity.source === null || entity.source === undefined) return null;
    const same = (this.data.candidates[entity.source] || []).find((c) => c.start === entity.start && c.end === entity.end);
    const given = same || this.original.find((e) => e.start === entity.start && e.end === entity.end && e.source === entity.source);
    return given && given.score !== null && given.score !== undefined ? { score: given.score, detail: given.detail || "" } : null;
  }

  projectedSources() {
    return new Set(this.entities.map((e) => e.source).filter((s) => s !== null && s !== undefined));
  }

  activeElement() {
    return (this.parent.activeElement !== undefined ? this.parent.activeElement : null) || document.activeElement;
  }

  render() {
    const d = this.data;
    const root = this.root;
    // Rebuilding drops the focused element; keep the keyboard in the editor.
    const active = this.activeElement();
    const hadFocus = active && root.contains(active);
    const focusedWord = hadFocus && active.dataset ? active.dataset.s : undefined;
    // the sideways scroll of the rows, read while they are still in the page
    const scrolled = this.rows && this.rows.isConnected ? this.rows.scrollLeft : 0;
    root.replaceChildren();
    // what is drawn, for a test or a tool to wait on
    root.dataset.item = d.item;
    root.dataset.revision = d.revision;
    root.dataset.unsaved = String(Math.max(0, this.edits - (this.acked || 0)));
    const focus = this.focused();
    const projected = this.projectedSources();
    const focusEntity = focus !== null ? d.source_entities[focus] : null;
    const alignedTargets = new Set(focusEntity
      ? d.links.filter(([i]) => focusEntity.start <= i && i < focusEntity.end).map(([, j]) => j) : []);
    const preview = this.preview ? d.candidates[this.preview.source][this.preview.rank] : null;

    // source sentence
    const source = el("div", { class: "xe-row xe-source", "aria-label": "source sentence" });
    d.source_words.forEach((word, i) => {
      const k = d.source_entities.findIndex((e) => e.start <= i && i < e.end);
      const w = el("span", { class: "xe-w", "data-s": i });
      w.appendChild(el("span", { class: "xe-n" }, String(i)));
      w.appendChild(el("span", { class: "xe-t" }, word));
      if (k >= 0) {
        const e = d.source_entities[k];
        w.classList.add("xe-ent");
        if (i === e.start) w.classList.add("xe-first");
        if (i === e.end - 1) w.classList.add("xe-last");
        if (!projected.has(k)) w.classList.add("xe-unprojected");
        if (focus === k) w.classList.add("xe-focus");
        w.style.setProperty("--c", colour(k));
        w.dataset.entity = k;
        w.tabIndex = i === e.start ? 0 : -1;
        w.title = `${k + 1} ${e.label}: ${e.text}` + (projected.has(k) ? "" : " (not projected)");
        if (i === e.start) {
          const tag = el("span", { class: "xe-tag", "data-source-tag": k },
            `${k + 1} ${e.label}` + (projected.has(k) ? "" : " · not projected"));
          w.insertBefore(tag, w.firstChild);
        }
        w.addEventListener("mouseenter", () => { if (this.hover !== k) { this.hover = k; this.render(); } });
        w.addEventListener("mouseleave", () => { if (this.hover !== null) { this.hover = null; this.render(); } });
        // mousedown, not click: a click would first focus the word (pinning it) and then toggle
        w.addEventListener("mousedown", (event) => {
          event.preventDefault();
          this.focus = this.focus === k ? null : k;
          this.preview = null;
          this.render();
          this.root.focus({ preventScroll: true });
        });
        w.addEventListener("focus", () => {
          if (this.focus === k) return;
          this.focus = k;
          this.render();
          this.refocus(`[data-s="${e.start}"]`);
        });
      }
      source.appendChild(w);
    });

    // target sentence
    const target = el("div", { class: "xe-row xe-target", "aria-label": "target sentence" });
    d.target_words.forEach((word, j) => {
      const k = this.entityAt(j);
      const w = el("span", { class: "xe-w xe-tw", "data-t": j });
      w.appendChild(el("span", { class: "xe-n" }, String(j)));
      w.appendChild(el("span", { class: "xe-t" }, word));
      if (this.selection && this.selection.start <= j && j < this.selection.end) w.classList.add("xe-selected");
      if (alignedTargets.has(j)) {
        w.classList.add("xe-aligned");
        w.style.setProperty("--f", colour(focus));
      }
      if (preview && preview.start <= j && j < preview.end) w.classList.add("xe-preview");
      if (k >= 0) {
        const e = this.entities[k];
        w.classList.add("xe-ent");
        w.style.setProperty("--c", colour(e.source));
        w.dataset.entity = k;
        if (e.source !== null && e.source !== undefined && focus === e.source) w.classList.add("xe-focus");
        if (j === e.start) {
          w.classList.add("xe-first");
          const score = this.score(e);
          const number = e.source === null || e.source === undefined ? "+" : String(e.source + 1);
          w.insertBefore(el("span", { class: "xe-tag", "data-target-tag": k, title: score && score.detail ? score.detail : null },
            `${number} ${e.label}` + (score === null ? (number === "+" ? "" : " · edited") : ` ${score.score.toFixed(2)}`)), w.firstChild);
          w.appendChild(el("span", { class: "xe-h xe-h-l", "data-edge": "start", "data-k": k, title: "drag to move the start" }));
        }
        if (j === e.end - 1) {
          w.classList.add("xe-last");
          w.appendChild(el("span", { class: "xe-h xe-h-r", "data-edge": "end", "data-k": k, title: "drag to move the end" }));
        }
      }
      w.addEventListener("mousedown", (event) => this.startDrag(event, j));
      w.addEventListener("mouseenter", () => {
        if (this.drag) { this.dragOver(j); return; }
        const e = k >= 0 ? this.entities[k] : null;
        const hover = e && e.source !== null && e.source !== undefined ? e.source : null;
        if (hover !== this.hover) { this.hover = hover; this.render(); }
      });
      w.addEventListener("mouseleave", (event) => {
        if (this.drag || this.hover === null) return;
        const next = event.relatedTarget && event.relatedTarget.closest ? event.relatedTarget.closest("[data-t]") : null;
        if (!next) { this.hover = null; this.render(); }
      });
      target.appendChild(w);
    });

    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("class", "xe-links");
    // one row per side, scrolled together: names never break across rows, and a long
    // sentence costs width (scrolled), not height (Accept stays on screen)
    this.rows = el("div", { class: "xe-rows", "data-testid": "editor-rows" });
    this.rows.append(source, el("div", { class: "xe-gap" }), target, this.svg);
    root.append(this.rows, this.panel(focus, projected));
    this.rows.scrollLeft = scrolled;
    this.drawLinks();
    const shown = this.selection ? target.querySelector(`[data-t="${this.selection.start}"]`) : null;
    if (shown) this.reveal(shown);
    if (hadFocus && !root.contains(this.activeElement())) {
      if (focusedWord !== undefined) this.refocus(`[data-s="${focusedWord}"]`);
      else root.focus({ preventScroll: true });
    }
  }

  panel(focus, projected) {
    const d = this.data;
    const panel = el("div", { class: "xe-panel" });

    const line = el("div", { class: "xe-line xe-selection" });
    if (this.selection) {
      const { start, end } = this.selection;
      const k = this.entities.findIndex((e) => e.start === start && e.end === end);
      line.appendChild(el("span", { class: "xe-what", "data-testid": "editor-selection" },
        `${k >= 0 ? "span" : "selected"} ${start}–${end - 1} “${d.target_words.slice(start, end).join(" ")}”` +
        (k >= 0 ? ` ${this.entities[k].label}` : "")));
      d.labels.forEach((label, n) => {
        const button = el("button", { type: "button", class: "xe-btn", title: `key ${n + 1} or ${label[0].toLowerCase()}` },
          `${n < 9 ? n + 1 : ""} ${label}`.trim());
        button.addEventListener("click", () => this.setLabel(label));
        line.appendChild(button);
      });
      if (this.entities.some((e) => overlaps(e, this.selection))) {
        const remove = el("button", { type: "button", class: "xe-btn", title: "Delete" }, "Delete");
        remove.addEventListener("click", () => this.remove());
        line.appendChild(remove);
      }
    } else {
      line.appendChild(el("span", { class: "xe-hint" },
        "Drag across target words (or click, shift+click) to select; 1–" + Math.min(d.labels.length, 9) +
        " or a label's first letter sets the label, Del removes, drag a span's edge to move it. " +
        "Click a source entity for its candidates."));
    }
    const unprojected = d.source_entities.filter((_, i) => !projected.has(i)).length;
    if (this.dropped) {
      // said once per item: the count grows, the message stays one line
      line.appendChild(el("span", { class: "xe-dropped", "data-testid": "editor-dropped" },
        `${this.dropped} key press${this.dropped === 1 ? "" : "es"} dropped: the item had been on screen ` +
        `${this.droppedAfter} ms, less than ${this.data.gate.min_ms} ms`));
    }
    const saving = el("span", { class: "xe-hint", "data-testid": "editor-saving" }, "saving…");
    saving.hidden = !(this.edits > (this.acked || 0));
    line.appendChild(saving);
    line.appendChild(el("span", { class: "xe-status", "data-testid": "editor-status" },
      `${this.edits} edit${this.edits === 1 ? "" : "s"}` + (unprojected ? ` · ${unprojected} not projected` : "")));
    panel.appendChild(line);

    if (focus !== null) {
      const e = d.source_entities[focus];
      const box = el("div", { class: "xe-line xe-candidates", "data-testid": "editor-candidates" });
      box.appendChild(el("span", { class: "xe-what", style: `--c:${colour(focus)}` },
        `${focus + 1} ${e.label} “${e.text}”` + (projected.has(focus) ? "" : " · not projected") + ":"));
      const candidates = d.candidates[focus] || [];
      if (!candidates.length) box.appendChild(el("span", { class: "xe-hint" }, "no candidates"));
      candidates.forEach((c, rank) => {
        const current = this.entities.some((t) => t.source === focus && t.start === c.start && t.end === c.end);
        const isPreview = this.preview && this.preview.source === focus && this.preview.rank === rank;
        const row = el("span", { class: "xe-cand" + (isPreview ? " xe-previewing" : "") + (current ? " xe-current" : ""),
          "data-candidate": rank, title: c.reason || (c.chosen ? "chosen" : "") });
        row.appendChild(el("span", { class: "xe-ctext" }, `${rank + 1}. ${c.text} `));
        row.appendChild(el("span", { class: "xe-score", title: c.detail || null }, c.score.toFixed(2)));
        const show = el("button", { type: "button", class: "xe-btn", "aria-pressed": isPreview ? "true" : "false" },
          isPreview ? "Hide" : "Preview");
        show.addEventListener("click", () => {
          this.preview = isPreview ? null : { source: focus, rank };
          this.focus = focus;
          this.render();
        });
        const take = el("button", { type: "button", class: "xe-btn xe-take", disabled: current }, current ? "current" : "Take");
        take.addEventListener("click", () => this.take(focus, rank));
        row.append(show, take);
        box.appendChild(row);
      });
      panel.appendChild(box);
    }
    return panel;
  }

  // Scroll the rows (only they, never the page) so that a word is in view.
  reveal(node) {
    const rows = this.rows.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    if (box.left < rows.left) this.rows.scrollLeft -= rows.left - box.left + 16;
    else if (box.right > rows.right) this.rows.scrollLeft += box.right - rows.right + 16;
  }

  drawLinks() {
    if (!this.svg || !this.data || !this.rows) return;
    const svg = this.svg;
    svg.replaceChildren();
    const frame = this.rows.getBoundingClientRect();
    // coordinates in the scrolled content: the lines scroll with the words
    const box = { left: frame.left - this.rows.scrollLeft, top: frame.top - this.rows.scrollTop };
    svg.setAttribute("width", this.rows.scrollWidth);
    svg.setAttribute("height", this.rows.scrollHeight);
    const focus = this.focused();
    const e = focus !== null ? this.data.source_entities[focus] : null;
    const strong = [];
    for (const [i, j] of this.data.links) {
      const s = this.root.querySelector(`[data-s="${i}"] .xe-t`);
      const t = this.root.querySelector(`[data-t="${j}"] .xe-t`);
      if (!s || !t) continue;
      const a = s.getBoundingClientRect();
      const b = t.getBoundingClientRect();
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", a.left + a.width / 2 - box.left);
      line.setAttribute("y1", a.bottom - box.top);
      line.setAttribute("x2", b.left + b.width / 2 - box.left);
      line.setAttribute("y2", b.top - box.top);
      line.setAttribute("data-link", `${i}-${j}`);
      if (e && e.start <= i && i < e.end) {
        line.setAttribute("class", "xe-link xe-link-focus");
        line.style.stroke = colour(focus);
        strong.push(line);
      } else {
        line.setAttribute("class", "xe-link");
        svg.appendChild(line);
      }
    }
    strong.forEach((line) => svg.appendChild(line)); // drawn last: on top
  }

  refocus(selector) {
    const node = this.root.querySelector(selector);
    if (node) node.focus({ preventScroll: true });
  }

  // --- mouse ---------------------------------------------------------------------

  startDrag(event, j) {
    if (event.button !== 0) return;
    event.preventDefault();
    const edge = event.target.closest && event.target.closest(".xe-h");
    if (edge) {
      this.drag = { mode: "edge", k: Number(edge.dataset.k), side: edge.dataset.edge, to: j };
      return;
    }
    if (event.shiftKey && this.anchor !== null) {
      this.selection = { start: Math.min(this.anchor, j), end: Math.max(this.anchor, j) + 1 };
      this.render();
      this.root.focus({ preventScroll: true });
      return;
    }
    this.drag = { mode: "select", from: j, to: j };
  }

  dragOver(j) {
    if (!this.drag || this.drag.to === j) return;
    this.drag.to = j;
    if (this.drag.mode === "select") {
      this.selection = { start: Math.min(this.drag.from, j), end: Math.max(this.drag.from, j) + 1 };
      this.render();
    }
  }

  endDrag() {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    if (drag.mode === "select") {
      if (drag.from === drag.to) {
        const k = this.entityAt(drag.from);
        const same = this.selection && this.selection.start === drag.from && this.selection.end === drag.from + 1;
        this.selection = k >= 0 && !same ? { start: this.entities[k].start, end: this.entities[k].end }
          : { start: drag.from, end: drag.from + 1 };
      } else {
        this.selection = { start: Math.min(drag.from, drag.to), end: Math.max(drag.from, drag.to) + 1 };
      }
      this.anchor = drag.from;
      this.render();
    } else {
      this.moveEdge(drag.k, drag.side, drag.to);
    }
    this.root.focus({ preventScroll: true });
  }

  // --- edits ---------------------------------------------------------------------

  commit(entities, action, selection) {
    this.entities = entities.sort(byStart);
    this.edits += 1;
    this.action = action;
    this.selection = selection;
    this.preview = null;
    this.render();
    this.setStateValue("value", {
      item: this.data.item,
      revision: this.data.revision,
      visit: this.data.visit,
      entities: this.entities.map((e) => [e.start, e.end, e.label]),
      sources: this.entities.map((e) => (e.source === undefined ? null : e.source)),
      edits: this.edits,
      action,
    });
  }

  // The source entity a new span most likely stands for: the one without a span that has
  // the most alignment links into it.
  guessSource(span, free) {
    let best = null;
    let most = 0;
    this.data.source_entities.forEach((e, i) => {
      if (!free.has(i)) return;
      const n = this.data.links.filter(([s, t]) => e.start <= s && s < e.end && span.start <= t && t < span.end).length;
      if (n > most) { best = i; most = n; }
    });
    return best;
  }

  setLabel(label) {
    const sel = this.selection;
    if (!sel) return;
    const k = this.entities.findIndex((e) => e.start === sel.start && e.end === sel.end);
    if (k >= 0) {
      if (this.entities[k].label === label) return;
      const entities = this.entities.map((e, n) => (n === k ? { ...e, label } : e));
      this.commit(entities, "label", sel);
      return;
    }
    const hit = this.entities.filter((e) => overlaps(e, sel));
    const kept = this.entities.filter((e) => !overlaps(e, sel));
    const inherited = hit.filter((e) => e.source !== null && e.source !== undefined);
    let source = inherited.length === 1 ? inherited[0].source : null;
    if (source === null) {
      const taken = new Set(kept.map((e) => e.source));
      const free = new Set(this.data.source_entities.map((_, i) => i).filter((i) => !taken.has(i)));
      source = this.guessSource(sel, free);
    }
    this.commit([...kept, { start: sel.start, end: sel.end, label, source }], "add", sel);
  }

  remove() {
    const sel = this.selection;
    if (!sel || !this.entities.some((e) => overlaps(e, sel))) return;
    this.commit(this.entities.filter((e) => !overlaps(e, sel)), "delete", null);
  }

  moveEdge(k, side, j) {
    const e = this.entities[k];
    if (!e) return;
    const before = this.entities.filter((o, n) => n !== k && o.end <= e.start).reduce((m, o) => Math.max(m, o.end), 0);
    const after = this.entities.filter((o, n) => n !== k && o.start >= e.end)
      .reduce((m, o) => Math.min(m, o.start), this.data.target_words.length);
    let { start, end } = e;
    if (side === "start") start = Math.max(before, Math.min(j, end - 1));
    else end = Math.min(after, Math.max(j + 1, start + 1));
    if (start === e.start && end === e.end) {
      this.selection = { start, end };
      this.render();
      return;
    }
    const entities = this.entities.map((o, n) => (n === k ? { ...o, start, end } : o));
    this.commit(entities, "move", { start, end });
  }

  take(source, rank) {
    const c = this.data.candidates[source][rank];
    const kept = this.entities.filter((e) => e.source !== source && !overlaps(e, c));
    this.commit([...kept, { start: c.start, end: c.end, label: c.label, source }], "take", { start: c.start, end: c.end });
  }

  // --- keyboard ------------------------------------------------------------------

  key(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const labels = this.data.labels;
    let handled = true;
    if (event.key === "Escape" && (this.selection || this.preview)) {
      this.selection = null;
      this.preview = null;
      this.render();
    } else if (!this.selection) {
      handled = false;
    } else if (event.key === "Delete" || event.key === "Backspace") {
      this.remove();
    } else if (/^[1-9]$/.test(event.key) && Number(event.key) <= labels.length) {
      this.setLabel(labels[Number(event.key) - 1]);
    } else if (event.key.length === 1 && labels.some((l) => l[0].toLowerCase() === event.key.toLowerCase())) {
      this.setLabel(labels.find((l) => l[0].toLowerCase() === event.key.toLowerCase()));
    } else {
      handled = false;
    }
    if (handled) {
      // the page's own shortcuts (Accept, Undo, ...) must not see a key the editor used
      event.preventDefault();
      event.stopPropagation();
      this.root.focus({ preventScroll: true });
    }
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let editor = parentElement[EDITOR];
  if (!editor) {
    editor = new Editor(parentElement);
    parentElement[EDITOR] = editor;
  }
  if (data) editor.update(data, setStateValue);
  return () => {
    editor.destroy();
    delete parentElement[EDITOR];
  };
}
