// Filter forms marked data-autosubmit apply a changed dropdown at once; narrower
// dropdowns (township, village) are reset when a wider one changes.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    const order = ["county", "township", "village"];
    form.addEventListener("change", (event) => {
      if (event.target.tagName !== "SELECT") return;
      const index = order.indexOf(event.target.name);
      if (index >= 0) {
        for (const name of order.slice(index + 1)) {
          const select = form.elements.namedItem(name);
          if (select) select.value = "";
        }
      }
      form.requestSubmit();
    });
  }
});

// A running import reports its progress; the page reloads when it is done.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      const state = await response.json();
      bar.value = state.progress || 0;
      text.textContent = `${state.progress || 0}%`;
      if (state.status !== "analysing" && state.status !== "importing") {
        window.location.reload();
        return;
      }
    } catch (error) { /* keep polling */ }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
});

// A "check all" box ticks every box of its name.
document.addEventListener("change", (event) => {
  const name = event.target.dataset && event.target.dataset.checkAll;
  if (!name) return;
  for (const box of document.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
    box.checked = event.target.checked;
  }
});
