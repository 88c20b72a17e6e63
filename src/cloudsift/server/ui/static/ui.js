// Completion of kinds and property names in the search box (Tab or Enter on a suggestion).
(function () {
  const box = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!box || !list) return;
  let words = [];
  let shown = [];
  let at = 0;
  fetch("/ui/complete", { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : []))
    .then((w) => { words = w; });

  function current() {
    const upto = box.value.slice(0, box.selectionStart);
    const match = upto.match(/[A-Za-z_][A-Za-z0-9_]*$/);
    return match ? match[0] : "";
  }
  function hide() { list.hidden = true; shown = []; }
  function render() {
    list.innerHTML = "";
    shown.forEach((w, i) => {
      const li = document.createElement("li");
      li.textContent = w;
      if (i === at) li.className = "on";
      li.addEventListener("mousedown", (e) => { e.preventDefault(); accept(w); });
      list.appendChild(li);
    });
    list.hidden = shown.length === 0;
  }
  function accept(word) {
    const prefix = current();
    const start = box.selectionStart - prefix.length;
    box.value = box.value.slice(0, start) + word + box.value.slice(box.selectionStart);
    box.selectionStart = box.selectionEnd = start + word.length;
    hide();
    box.focus();
  }
  box.addEventListener("input", () => {
    const prefix = current();
    if (prefix.length < 2) return hide();
    shown = words.filter((w) => w.startsWith(prefix) && w !== prefix).slice(0, 12);
    at = 0;
    render();
  });
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && list.hidden) { e.preventDefault(); box.form.submit(); return; }
    if (list.hidden) return;
    if (e.key === "ArrowDown") { at = (at + 1) % shown.length; render(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { at = (at + shown.length - 1) % shown.length; render(); e.preventDefault(); }
    else if (e.key === "Tab" || e.key === "Enter") { accept(shown[at]); e.preventDefault(); }
    else if (e.key === "Escape") { hide(); }
  });
  box.addEventListener("blur", hide);
})();
