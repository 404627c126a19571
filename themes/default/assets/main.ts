// Scripts only enhance: every page works without them.
import { initTheme } from "./theme";
import { initSearch } from "./search";
import { initFilters, initProblemFilters } from "./filters";
import { initCopy } from "./copy";

function start(): void {
  initTheme();
  initSearch();
  initFilters();
  initProblemFilters();
  initCopy();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
