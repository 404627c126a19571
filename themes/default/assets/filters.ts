// Dashboard filters by status and agent: rows carry data-status and
// data-agents; the form is hidden until this script shows it.
export function initFilters(): void {
  const form = document.getElementById("filters") as HTMLFormElement | null;
  if (!form) return;
  form.hidden = false;
  const status = form.elements.namedItem("status") as HTMLSelectElement;
  const agent = form.elements.namedItem("agent") as HTMLSelectElement;
  const count = form.elements.namedItem("count") as HTMLOutputElement;
  const apply = () => {
    let shown = 0;
    document.querySelectorAll<HTMLTableRowElement>("tr[data-status]").forEach((row) => {
      const agents = (row.dataset.agents || "").split(" ");
      const ok = (!status.value || row.dataset.status === status.value) && (!agent.value || agents.includes(agent.value));
      row.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll<HTMLElement>("section.plan").forEach((sec) => {
      sec.hidden = sec.querySelector("tr[data-status]:not([hidden])") === null;
    });
    count.value = status.value || agent.value ? `${shown} documents shown` : "";
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
}
