// Small helpers, each shown only when scripts run (everything works without them):
// the report's print button, "select all" in the inbox, and answer templates.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-report");
  if (button) {
    button.hidden = false;
    document.getElementById("print-hint")?.setAttribute("hidden", "");
    button.addEventListener("click", () => window.print());
  }

  const all = document.getElementById("select-all");
  if (all) {
    all.closest(".select-all").hidden = false;
    const picks = () => Array.from(document.querySelectorAll("input.pick"));
    all.addEventListener("change", () => picks().forEach((box) => { box.checked = all.checked; }));
  }

  const answer = document.getElementById("answer");
  document.querySelectorAll("button.use-template").forEach((use) => {
    use.hidden = false;
    use.addEventListener("click", () => {
      if (!answer) return;
      answer.value = use.dataset.text || "";
      answer.focus();
    });
  });
});
