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
