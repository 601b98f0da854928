// Applies the dark/light preference before first paint (no flash).
(function () {
  var root = document.documentElement;
  var pref = localStorage.getItem("steward-theme") || root.getAttribute("data-theme-pref") || "auto";
  if (pref === "auto") {
    pref = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  root.setAttribute("data-bs-theme", pref);
})();
