// The report's print button: shown only when scripts run (Ctrl+P works anyway).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-report");
  if (!button) return;
  button.hidden = false;
  document.getElementById("print-hint")?.setAttribute("hidden", "");
  button.addEventListener("click", () => window.print());
});
