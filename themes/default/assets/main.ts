// Scripts only enhance: every page works without them.
import { initTheme } from "./theme";
import { initSearch } from "./search";
import { initFilters } from "./filters";
import { initCopy } from "./copy";

function start(): void {
  initTheme();
  initSearch();
  initFilters();
  initCopy();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
