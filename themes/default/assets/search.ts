// Full-text search, in the page, over the index written at build time in
// pieces (site/search): search/meta.json lists the index's chunks, each the
// terms from its first to the next chunk's first, and the name of its file
// (search/c/<name>.json); a query loads the chunks holding its
// terms and search/lengths.json, MiniSearch ranks the documents, and the
// fragments of the results shown give titles and snippets, packed
// meta.fpf to a file (document id's in search/f/<id / fpf>.json). The first
// download is the manifest alone.
import MiniSearch from "./vendor/minisearch";

interface Meta {
  v: number;
  docs: number;
  next: number;
  fields: string[];
  avg: number[];
  chunks: [string, string][]; // first term, file name
  fpf: number; // fragments per file
}

interface Fragment {
  t: string; // title
  u: string; // url, base path included
  s: string; // status
  x: [string, string, string][] | null; // sections: anchor, heading, text
}

type IndexEntry = [string, Record<string, Record<string, number>>];

export interface Hit {
  id: number;
  score: number;
  terms: string[];
}

const statusLabels: Record<string, string> = {
  "not-started": "Not started", "in-progress": "In progress", blocked: "Blocked", deferred: "Deferred",
  complete: "Complete", failed: "Failed", unknown: "Unknown",
};

function base(): string {
  const m = document.querySelector<HTMLMetaElement>('meta[name="plansite:base"]');
  return m ? m.content : "/";
}

function getJSON<T>(path: string): Promise<T> {
  return fetch(base() + path).then((r) => {
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return r.json() as Promise<T>;
  });
}

// terms splits text as the index was split (site/search Terms): runs of
// letters, digits and marks, lower-cased; Han, kana and Hangul one by one.
const cjk = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const run of text.split(/[^\p{L}\p{N}\p{M}]+/u)) {
    if (!run) continue;
    let word = "";
    for (const ch of run) {
      if (cjk.test(ch)) {
        if (word) out.push(word.toLowerCase());
        word = "";
        out.push(ch.toLowerCase());
      } else word += ch;
    }
    if (word) out.push(word.toLowerCase());
  }
  return out;
}

// cmp orders strings by code point, as the index's chunks were cut (Go
// compares UTF-8 bytes, which is code point order).
function cmp(a: string, b: string): number {
  const x = Array.from(a), y = Array.from(b);
  for (let i = 0; i < x.length && i < y.length; i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

// chunksFor is the chunks a term can be in: the one whose range holds it,
// or, for a prefix, also the chunks after it whose first term starts with
// it. A chunk's range runs from its first term to the next chunk's.
export function chunksFor(chunks: [string, string][], term: string, prefix: boolean): number[] {
  let at = -1;
  chunks.forEach(([first], i) => {
    if (cmp(first, term) <= 0) at = i;
  });
  const out: number[] = at >= 0 ? [at] : [];
  if (prefix) {
    for (let i = at + 1; i < chunks.length && chunks[i][0].startsWith(term); i++) out.push(i);
  }
  return out;
}

class Engine {
  private meta: Promise<Meta> | null = null;
  private lengths: Promise<Record<string, number[]>> | null = null;
  private chunks = new Map<number, Promise<IndexEntry[]>>();
  private fragments = new Map<number, Promise<(Fragment | null)[]>>();

  private loadMeta(): Promise<Meta> {
    if (!this.meta) this.meta = getJSON<Meta>("search/meta.json");
    return this.meta;
  }

  private chunk(meta: Meta, i: number): Promise<IndexEntry[]> {
    let c = this.chunks.get(i);
    if (!c) {
      c = getJSON<{ index: IndexEntry[] }>(`search/c/${meta.chunks[i][1]}.json`).then((j) => j.index);
      this.chunks.set(i, c);
    }
    return c;
  }

  async fragment(id: number): Promise<Fragment> {
    const per = (await this.loadMeta()).fpf;
    const file = Math.floor(id / per);
    let f = this.fragments.get(file);
    if (!f) {
      f = getJSON<(Fragment | null)[]>(`search/f/${file}.json`);
      this.fragments.set(file, f);
    }
    const frag = (await f)[id % per];
    if (!frag) throw new Error(`search/f/${file}.json: no fragment ${id}`);
    return frag;
  }

  // search returns every document matching all the query's terms (the
  // last one as a prefix, as the reader is still typing it), best first.
  async search(query: string): Promise<Hit[]> {
    const qs = terms(query);
    if (qs.length === 0) return [];
    const meta = await this.loadMeta();
    const want = new Set<number>();
    qs.forEach((t, i) => chunksFor(meta.chunks, t, i === qs.length - 1).forEach((c) => want.add(c)));
    if (!this.lengths) this.lengths = getJSON<Record<string, number[]>>("search/lengths.json");
    const [lengths, parts] = await Promise.all([this.lengths, Promise.all([...want].map((c) => this.chunk(meta, c)))]);
    const index: IndexEntry[] = [];
    const ids: Record<string, number> = {};
    const fieldLength: Record<string, number[]> = {};
    for (const part of parts) {
      for (const entry of part) {
        index.push(entry);
        for (const docs of Object.values(entry[1])) {
          for (const id of Object.keys(docs)) {
            ids[id] = Number(id);
            fieldLength[id] = lengths[id] || [0, 0, 0, 0];
          }
        }
      }
    }
    const fieldIds: Record<string, number> = {};
    meta.fields.forEach((f, i) => (fieldIds[f] = i));
    const ms = MiniSearch.loadJS(
      {
        documentCount: meta.docs, nextId: meta.next, documentIds: ids, fieldIds, fieldLength,
        averageFieldLength: meta.avg, storedFields: {}, dirtCount: 0, index, serializationVersion: 2,
      },
      { fields: meta.fields, tokenize: terms, processTerm: (t: string) => t },
    );
    const results = ms.search(query, {
      combineWith: "AND",
      prefix: (_t: string, i: number, all: string[]) => i === all.length - 1,
      boost: { title: 4, tasks: 2, headings: 2 },
    });
    return results.map((r: { id: number; score: number; terms: string[] }) => ({ id: r.id, score: r.score, terms: r.terms }));
  }
}

const engine = new Engine();

// snippet is the text around the first place a term appears in the
// document, with every term marked, and the section it is in.
export function snippet(f: Fragment, hitTerms: string[], width = 160): { anchor: string; heading: string; parts: [string, boolean][] } {
  const sections = f.x || [];
  const re = hitTerms.length
    ? new RegExp(hitTerms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu")
    : null;
  let best = sections.find((s) => re && (re.lastIndex = 0, re.test(s[2]))) || sections.find((s) => re && (re.lastIndex = 0, re.test(s[1])));
  if (!best) best = sections[0] || ["", "", ""];
  const [anchor, heading, text] = best;
  let start = 0;
  if (re) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) start = Math.max(0, m.index - width / 3);
  }
  // Start and end on word boundaries.
  if (start > 0) {
    const sp = text.indexOf(" ", start);
    start = sp >= 0 && sp < start + 20 ? sp + 1 : start;
  }
  let end = Math.min(text.length, start + width);
  if (end < text.length) {
    const sp = text.lastIndexOf(" ", end);
    if (sp > start) end = sp;
  }
  const cut = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  const parts: [string, boolean][] = [];
  if (!re) return { anchor, heading, parts: [[cut, false]] };
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(cut); m; m = re.exec(cut)) {
    if (m[0] === "") { re.lastIndex++; continue; }
    if (m.index > last) parts.push([cut.slice(last, m.index), false]);
    parts.push([m[0], true]);
    last = m.index + m[0].length;
  }
  if (last < cut.length) parts.push([cut.slice(last), false]);
  return { anchor, heading, parts };
}

// renderHit fills li with a result: its title (linking to the section the
// snippet is from), status, section heading and snippet.
function renderHit(li: HTMLElement, f: Fragment, hit: Hit): HTMLAnchorElement {
  const sn = snippet(f, hit.terms);
  const a = document.createElement("a");
  a.href = f.u + (sn.anchor ? "#" + sn.anchor : "");
  a.className = "search-title";
  a.textContent = f.t;
  const status = document.createElement("span");
  status.className = "status status-" + f.s;
  status.textContent = statusLabels[f.s] || f.s;
  const p = document.createElement("p");
  p.className = "search-snippet";
  if (sn.heading && sn.heading !== f.t) {
    const h = document.createElement("span");
    h.className = "search-context";
    h.textContent = sn.heading + " — ";
    p.append(h);
  }
  for (const [text, marked] of sn.parts) {
    if (marked) {
      const m = document.createElement("mark");
      m.textContent = text;
      p.append(m);
    } else p.append(text);
  }
  li.replaceChildren(a, " ", status, p);
  return a;
}

// showHits renders hits[from, to) into ul, in order, as fragments arrive.
function showHits(ul: HTMLElement, hits: Hit[], from: number, to: number, idPrefix: string, option = false): Promise<void> {
  const items: Promise<void>[] = [];
  for (let i = from; i < Math.min(to, hits.length); i++) {
    const li = document.createElement("li");
    li.id = idPrefix + i;
    li.className = "search-hit";
    if (option) {
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
    }
    li.textContent = "…";
    ul.append(li);
    items.push(engine.fragment(hits[i].id).then((f) => void renderHit(li, f, hits[i])));
  }
  return Promise.all(items).then(() => undefined);
}

function countText(n: number, q: string): string {
  return `${n} ${n === 1 ? "result" : "results"} for “${q}”`;
}

const popupShown = 8;
const pageShown = 20;

// The popup under the header's search box: the first results, arrow keys
// to move, Enter to open, Escape or a click elsewhere to close.
function initPopup(input: HTMLInputElement, popup: HTMLElement): void {
  const form = input.form;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", popup.id);
  let active = -1;
  let seq = 0;
  const options = () => [...popup.querySelectorAll<HTMLElement>("[role=option]")];
  const close = () => {
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const select = (i: number) => {
    const opts = options();
    if (opts.length === 0) return;
    active = (i + opts.length) % opts.length;
    opts.forEach((o, j) => o.setAttribute("aria-selected", String(j === active)));
    input.setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  };
  const run = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) return close();
    const hits = await engine.search(q);
    if (mine !== seq) return;
    const status = document.createElement("p");
    status.className = "search-status";
    status.setAttribute("role", "status");
    status.textContent = countText(hits.length, q);
    const ul = document.createElement("ul");
    ul.setAttribute("role", "listbox");
    ul.setAttribute("aria-label", "Search results");
    popup.replaceChildren(status, ul);
    popup.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    const shown = showHits(ul, hits, 0, popupShown, "search-opt-", true);
    const all = document.createElement("a");
    all.className = "search-all";
    all.href = base() + "search/?q=" + encodeURIComponent(q);
    all.textContent = hits.length > popupShown ? `See all ${hits.length} results` : "Open the search page";
    const li = document.createElement("li");
    li.id = "search-opt-all";
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.append(all);
    ul.append(li);
    await shown;
  };
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(run, 100);
  });
  input.addEventListener("focus", () => {
    if (input.value.trim() && popup.childElementCount) {
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (popup.hidden) return;
      ev.preventDefault();
      select(active + (ev.key === "ArrowDown" ? 1 : -1));
    } else if (ev.key === "Enter" && !popup.hidden && active >= 0) {
      const a = options()[active]?.querySelector("a");
      if (a) {
        ev.preventDefault();
        location.href = a.href;
      }
    } else if (ev.key === "Escape" && !popup.hidden) {
      ev.preventDefault(); // the first Escape closes the popup and keeps the query
      close();
    }
  });
  // Enter submits the form when no result is chosen (the search page);
  // with one chosen, it opens that result.
  form?.addEventListener("submit", (ev) => {
    const a = !popup.hidden && active >= 0 ? options()[active]?.querySelector("a") : null;
    if (a) {
      ev.preventDefault();
      location.href = a.href;
    }
  });
  document.addEventListener("pointerdown", (ev) => {
    if (form && !form.contains(ev.target as Node)) close();
  });
  popup.addEventListener("focusout", (ev) => {
    if (form && !form.contains(ev.relatedTarget as Node)) close();
  });
}

// The search page: every result for ?q=, twenty at a time.
function initPage(page: HTMLElement, input: HTMLInputElement | null): void {
  const results = document.createElement("div");
  results.id = "search-page-results";
  const field = document.createElement("input");
  field.type = "search";
  field.id = "search-page-q";
  field.className = "search-page-q";
  const label = document.createElement("label");
  label.htmlFor = field.id;
  label.className = "visually-hidden";
  label.textContent = "Search the plans";
  page.replaceChildren(label, field, results);
  const q0 = new URLSearchParams(location.search).get("q") || "";
  field.value = q0;
  if (input) input.value = q0;
  let seq = 0;
  const run = async (q: string) => {
    const mine = ++seq;
    const hits = q.trim() ? await engine.search(q) : [];
    if (mine !== seq) return;
    const status = document.createElement("p");
    status.className = "search-status";
    status.setAttribute("role", "status");
    status.textContent = q.trim() ? countText(hits.length, q.trim()) : "Type to search titles, tasks, headings and text.";
    const ul = document.createElement("ol");
    ul.className = "search-hits";
    results.replaceChildren(status, ul);
    let shown = 0;
    const more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.hidden = true;
    const next = async () => {
      await showHits(ul, hits, shown, shown + pageShown, "search-hit-");
      shown = Math.min(hits.length, shown + pageShown);
      more.textContent = `Show ${Math.min(pageShown, hits.length - shown)} more of ${hits.length - shown}`;
      more.hidden = shown >= hits.length;
    };
    more.addEventListener("click", () => void next());
    results.append(more);
    await next();
    const u = new URL(location.href);
    if (q.trim()) u.searchParams.set("q", q.trim());
    else u.searchParams.delete("q");
    history.replaceState(null, "", u.pathname + u.search);
  };
  let timer = 0;
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void run(field.value), 120);
  });
  // The header's box searches this page's list.
  input?.addEventListener("input", () => {
    field.value = input.value;
    field.dispatchEvent(new Event("input"));
  });
  input?.form?.addEventListener("submit", (ev) => ev.preventDefault());
  void run(q0);
}

export function initSearch(): void {
  const input = document.getElementById("search-q") as HTMLInputElement | null;
  const popup = document.getElementById("search-popup");
  const page = document.getElementById("search-page");
  if (page) initPage(page, input);
  if (input && popup && !page) initPopup(input, popup);
}
