// Progressive enhancement only: pages work without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen-reader and keyboard users hear what to fix first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
});
