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

// Import batch progress (数据导入): while a batch is being checked or imported, ask the server every 2 s how far it
// got, move the progress bar and the polite live text, and reload the page once the work is done. Without
// JavaScript the page offers a plain 刷新 link instead (no meta refresh: it would move users on unasked).
document.addEventListener("DOMContentLoaded", function () {
  var panel = document.querySelector("[data-progress-url]");
  if (!panel || !window.fetch) { return; }
  var bar = panel.querySelector("progress");
  var text = panel.querySelector("[data-progress-text]");
  var url = panel.getAttribute("data-progress-url");

  function say(data) {
    var template = data.total_rows > 0 ? panel.getAttribute("data-text-rows") : panel.getAttribute("data-text-waiting");
    var message = template.replace("{state}", data.state_label).replace("{processed}", data.processed_rows)
      .replace("{total}", data.total_rows);
    if (text && text.textContent !== message) { text.textContent = message; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        if (data.done) { window.location.reload(); return; }
        if (bar && data.total_rows > 0) {
          bar.max = data.total_rows;
          bar.value = data.processed_rows;
          bar.textContent = data.percent + "%";
        }
        say(data);
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 10000); }); // the server may be restarting: try again, slower
  }

  window.setTimeout(poll, 2000);
});

// 朗读本页 (portal): read the page's main content aloud with the browser's own speech synthesis. The button stays
// hidden where the browser cannot speak; a second press stops.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-read-aloud]");
  if (!button || !("speechSynthesis" in window)) { return; }
  var start = button.textContent;
  button.hidden = false;
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", function () {
    if (window.speechSynthesis.speaking) {
      window.speechSynthesis.cancel();
      return;
    }
    var main = document.getElementById("main").cloneNode(true);
    main.querySelectorAll("[data-read-aloud], [hidden], script, .visually-hidden").forEach(function (node) {
      node.remove();
    });
    var speech = new SpeechSynthesisUtterance(main.innerText || main.textContent);
    speech.lang = document.documentElement.lang === "en" ? "en-GB" : "zh-CN";
    speech.onend = speech.onerror = function () {
      button.textContent = start;
      button.setAttribute("aria-pressed", "false");
    };
    button.textContent = button.getAttribute("data-label-stop");
    button.setAttribute("aria-pressed", "true");
    window.speechSynthesis.speak(speech);
  });
});

// Session expiry (portal): two minutes before an idle session ends, say so in the page (no pop-up) with a
// 继续使用 button that restarts the clock. Without JavaScript the session simply ends; the login page says why.
document.addEventListener("DOMContentLoaded", function () {
  var notice = document.querySelector("[data-session-warning]");
  if (!notice) { return; }
  var seconds = parseInt(notice.getAttribute("data-seconds"), 10);
  if (!(seconds > 180)) { return; }
  var timer;
  function arm() {
    timer = window.setTimeout(function () {
      notice.hidden = false;
      notice.setAttribute("role", "alert");
    }, (seconds - 120) * 1000);
  }
  // Extend in the background, so what the user has typed on this page stays where it is.
  var form = notice.querySelector("form");
  form.addEventListener("submit", function (event) {
    if (!window.fetch) { return; }
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return; } // ended already: the sign-in page says so
        notice.hidden = true;
        notice.removeAttribute("role");
        window.clearTimeout(timer);
        arm();
      })
      .catch(function () { form.submit(); });
  });
  arm();
});
