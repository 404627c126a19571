// Search over the index written at build time (search.json): titles,
// headings and tasks. Runs offline, in the page.

interface Entry {
  t: string; // title
  u: string; // url
  s: string; // status
  h?: string[]; // headings: "anchor\ttext"
  k?: string[]; // tasks: "id\ttitle\tanchor"
}

interface Hit {
  title: string;
  href: string;
  context: string;
  score: number;
}

let index: Promise<Entry[]> | null = null;

function base(): string {
  const m = document.querySelector<HTMLMetaElement>('meta[name="plansite:base"]');
  return m ? m.content : "/";
}

function load(): Promise<Entry[]> {
  if (!index) {
    index = fetch(base() + "search.json")
      .then((r) => r.json())
      .then((j) => j.docs as Entry[]);
  }
  return index;
}

export function find(entries: Entry[], query: string, limit = 40): Hit[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [];
  const all = (s: string) => terms.every((t) => s.includes(t));
  const hits: Hit[] = [];
  const root = base().replace(/\/$/, "");
  for (const e of entries) {
    const title = e.t.toLowerCase();
    if (all(title)) hits.push({ title: e.t, href: root + e.u, context: e.s, score: 3 });
    for (const k of e.k || []) {
      const [id, name, anchor] = k.split("\t");
      if (all(`${id} ${name}`.toLowerCase())) {
        hits.push({ title: `${id} ${name}`, href: `${root}${e.u}#${anchor}`, context: e.t, score: 2 });
      }
    }
    for (const h of e.h || []) {
      const [anchor, text] = h.split("\t");
      if (all(text.toLowerCase())) hits.push({ title: text, href: `${root}${e.u}#${anchor}`, context: e.t, score: 1 });
    }
  }
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, limit);
}

function show(list: HTMLElement, hits: Hit[], query: string): void {
  list.replaceChildren();
  const status = document.createElement("p");
  status.className = "search-status";
  status.setAttribute("role", "status");
  status.textContent = query ? `${hits.length} results for “${query}”` : "";
  list.append(status);
  const ul = document.createElement("ul");
  for (const h of hits) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = h.href;
    a.textContent = h.title;
    const small = document.createElement("span");
    small.className = "search-context";
    small.textContent = h.context;
    li.append(a, " ", small);
    ul.append(li);
  }
  list.append(ul);
}

export function initSearch(): void {
  const input = document.getElementById("search-q") as HTMLInputElement | null;
  const popup = document.getElementById("search-popup");
  const page = document.getElementById("search-page");
  if (page) {
    // The search page: results for ?q= replace the plain list.
    const q = new URLSearchParams(location.search).get("q") || "";
    if (input) input.value = q;
    const results = document.createElement("div");
    results.id = "search-page-results";
    page.replaceChildren(results);
    const run = (query: string) => load().then((e) => show(results, find(e, query), query));
    run(q);
    input?.addEventListener("input", () => run(input.value));
    return;
  }
  if (!input || !popup) return;
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      const q = input.value.trim();
      if (!q) {
        popup.hidden = true;
        return;
      }
      load().then((e) => {
        show(popup, find(e, q, 12), q);
        popup.hidden = false;
      });
    }, 80);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") popup.hidden = true;
  });
}
