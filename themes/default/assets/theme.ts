// The theme toggle: follows the system until the reader picks a side.
const key = "plansite-theme";

function current(): "light" | "dark" {
  const set = document.documentElement.getAttribute("data-theme");
  if (set === "light" || set === "dark") return set;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function initTheme(): void {
  const button = document.getElementById("theme-toggle") as HTMLButtonElement | null;
  if (!button) return;
  // The button says what it does, in words: "Dark theme" switches to dark.
  const text = button.querySelector(".theme-label");
  const label = () => {
    const next = current() === "dark" ? "light" : "dark";
    if (text) text.textContent = next === "dark" ? "Dark theme" : "Light theme";
    button.title = `Switch to the ${next} theme`;
  };
  button.hidden = false;
  label();
  button.addEventListener("click", () => {
    const next = current() === "dark" ? "light" : "dark";
    document.documentElement.setAttribute("data-theme", next);
    try {
      localStorage.setItem(key, next);
    } catch {
      // Storage may be disabled; the choice then lasts for this page.
    }
    label();
  });
}
