// Dashboard filters and sorting. Rows carry data-status, data-agents,
// data-path, data-updated and data-completion; groups (details.group) carry
// their own. The choice lives in the URL (?status=&agent=&q=&sort=), so a
// filtered view can be shared, survives a reload and follows the pager.
// The form is hidden until this script shows it.

const keys = ["status", "agent", "q", "sort"] as const;
type Key = (typeof keys)[number];

// open is a filter for every status still to be done.
const openStatuses = new Set(["not-started", "in-progress", "blocked"]);

function matches(status: string, want: string): boolean {
  return !want || status === want || (want === "open" && openStatuses.has(status));
}

const rank: Record<string, number> = {
  blocked: 0, failed: 1, "in-progress": 2, "not-started": 3, unknown: 4, deferred: 5, complete: 6,
};

// compare orders two elements by a sort key; "" keeps the page's order.
function compare(key: string, a: HTMLElement, b: HTMLElement): number {
  const da = a.dataset, db = b.dataset;
  switch (key) {
    case "updated":
      return (db.updated || "").localeCompare(da.updated || "");
    case "completion":
      return Number(db.completion || 0) - Number(da.completion || 0);
    case "title":
      return (a.dataset.title || a.textContent || "").trim().localeCompare((b.dataset.title || b.textContent || "").trim());
    case "status":
      return (rank[da.status || ""] ?? 9) - (rank[db.status || ""] ?? 9);
  }
  return 0;
}

function sortChildren(parent: Element, items: HTMLElement[], key: string): void {
  const original = items.slice().sort((a, b) => Number(a.dataset.order) - Number(b.dataset.order));
  const sorted = key ? original.slice().sort((a, b) => compare(key, a, b)) : original;
  for (const el of sorted) parent.append(el);
}

export function initFilters(): void {
  const form = document.getElementById("filters") as HTMLFormElement | null;
  if (!form) return;
  form.hidden = false;
  const field = (k: Key) => form.elements.namedItem(k) as HTMLInputElement | HTMLSelectElement;
  const count = form.elements.namedItem("count") as HTMLOutputElement;
  const groups = [...document.querySelectorAll<HTMLDetailsElement>("details.group")];
  const main = groups.length ? groups[0].parentElement : null;
  const pager = document.querySelector(".pager");
  groups.forEach((g, i) => {
    g.dataset.order = String(i);
    g.querySelectorAll<HTMLTableRowElement>("tbody tr").forEach((r, j) => {
      r.dataset.order = String(j);
      const a = r.querySelector("a");
      r.dataset.title = a ? a.textContent || "" : "";
    });
  });

  // The URL holds the choice: read it into the form at load.
  const params = new URLSearchParams(location.search);
  for (const k of keys) {
    const v = params.get(k);
    if (v !== null) field(k).value = v;
  }

  const apply = () => {
    const status = field("status").value, agent = field("agent").value;
    const q = field("q").value.trim().toLowerCase(), sort = field("sort").value;
    let shown = 0, total = 0;
    for (const g of groups) {
      let visible = 0;
      const rows = [...g.querySelectorAll<HTMLTableRowElement>("tbody tr")];
      for (const row of rows) {
        total++;
        const agents = (row.dataset.agents || "").split(" ");
        const text = ((row.dataset.title || "") + " " + (row.dataset.path || "")).toLowerCase();
        const ok = matches(row.dataset.status || "", status) && (!agent || agents.includes(agent)) && (!q || text.includes(q));
        row.hidden = !ok;
        if (ok) visible++;
      }
      shown += visible;
      g.hidden = visible === 0;
      const body = g.querySelector("tbody");
      if (body) sortChildren(body, rows, sort);
    }
    if (main) {
      // Groups are put back in order before the pager (or at the end).
      const ordered = groups.slice().sort((a, b) => (sort ? compare(sort, a, b) : 0) || Number(a.dataset.order) - Number(b.dataset.order));
      for (const g of ordered) {
        if (pager && pager.parentElement === main) main.insertBefore(g, pager);
        else main.append(g);
      }
    }
    const filtered = status || agent || q;
    count.value = filtered ? `${shown} of ${total} documents on this page` : "";
    // Keep the choice in the URL and on the pager's links.
    const next = new URLSearchParams();
    for (const k of keys) {
      const v = field(k).value.trim();
      if (v) next.set(k, v);
    }
    const qs = next.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
    document.querySelectorAll<HTMLAnchorElement>(".pager a").forEach((a) => {
      const u = new URL(a.href, location.href);
      u.search = qs;
      a.href = u.href;
    });
  };
  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.querySelectorAll<HTMLButtonElement>("button[data-fold]").forEach((b) =>
    b.addEventListener("click", () => groups.forEach((g) => (g.open = b.dataset.fold === "open"))),
  );
  apply();
}

// Problems filters: by severity and by file path, kept in the URL
// (?sev=&file=). The rule is a page of its own (/problems/RULE/).
export function initProblemFilters(): void {
  const form = document.getElementById("problem-filters") as HTMLFormElement | null;
  if (!form) return;
  form.hidden = false;
  const sev = form.elements.namedItem("sev") as HTMLSelectElement;
  const file = form.elements.namedItem("file") as HTMLInputElement;
  const count = form.elements.namedItem("count") as HTMLOutputElement;
  const params = new URLSearchParams(location.search);
  sev.value = params.get("sev") || "";
  file.value = params.get("file") || "";
  const apply = () => {
    const f = file.value.trim().toLowerCase();
    let shown = 0;
    document.querySelectorAll<HTMLDetailsElement>("details.problem-file").forEach((d) => {
      let visible = 0;
      const pathOK = !f || (d.dataset.source || "").toLowerCase().includes(f);
      d.querySelectorAll<HTMLLIElement>("li[data-sev]").forEach((li) => {
        const ok = pathOK && (!sev.value || li.dataset.sev === sev.value);
        li.hidden = !ok;
        if (ok) visible++;
      });
      d.hidden = visible === 0;
      shown += visible;
    });
    count.value = sev.value || f ? `${shown} shown on this page` : "";
    const next = new URLSearchParams();
    if (sev.value) next.set("sev", sev.value);
    if (f) next.set("file", file.value.trim());
    const qs = next.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  };
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
  apply();
}
