// Progressive enhancement only: pages work without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen-reader and keyboard users hear what to fix first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
});

// Error summary links (GOV.UK pattern): move focus to the field and keep the field's label in view.
// Without this the browser scrolls the input to the very top and its label (and hint) out of sight.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
  if (!link) { return; }
  var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!input) { return; }
  var label = null;
  if (input.labels && input.labels.length) {
    label = input.labels[0];
  } else {
    var fieldset = input.closest("fieldset");
    label = fieldset && fieldset.querySelector("legend");
  }
  event.preventDefault();
  (label || input).scrollIntoView();
  input.focus({ preventScroll: true });
});
