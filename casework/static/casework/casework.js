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

// A running import (or report) reports its progress; the page reloads when it is done.
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
      // a roster import says its status; other background work (a report) says `working`
      const working = state.working ?? (state.status === "analysing" || state.status === "importing");
      if (!working) {
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

// A phone number as a draft may keep it: masked like casework.idnumber.mask_phone.
const phoneAtRest = (value) => {
  const text = String(value || "").trim();
  if (!text || /^(\d{3}\*{4}\d{4}|\*+\d{0,4})$/.test(text)) return text;
  if (/^\d{11}$/.test(text)) return `${text.slice(0, 3)}****${text.slice(-4)}`;
  if (text.length <= 4) return "*".repeat(text.length);
  return "*".repeat(text.length - 4) + text.slice(-4);
};

// Any ID or mobile number in typed text, masked like casework.idnumber.mask_numbers_in_text.
const numbersMasked = (value) => String(value).replace(
  /(?<![\dXx])(\d{17}[\dXx]|1[3-9]\d{9})(?![\dXx])/g,
  (number) => (number.length === 11 ? phoneAtRest(number) : `${number.slice(0, 6)}********${number.slice(-4).toUpperCase()}`),
);

// What this browser keeps of survey drafts goes at logout (the server keeps the drafts).
const DRAFT_PREFIX = "survey-";
document.addEventListener("submit", (event) => {
  if (!event.target.matches || !event.target.matches("form[data-logout]")) return;
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(DRAFT_PREFIX)) localStorage.removeItem(key);
  }
});

// The survey form: sections follow the employment status, and what is typed is kept as a
// server-side draft (and in this browser) every few seconds, so nothing is lost.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-survey]");
  if (!form) return;
  // the server says which statuses show a section (data-shown-for); a hidden section is
  // disabled too, so what it holds is neither sent, nor drafted, nor checked
  const status = () => (form.querySelector("input[name=employment_status]:checked") || {}).value;
  const toggle = () => {
    const value = status();
    for (const group of form.querySelectorAll("[data-shown-for]")) {
      const hidden = !value || !group.dataset.shownFor.split(" ").includes(value);
      group.hidden = hidden;
      group.disabled = hidden;
    }
  };
  form.addEventListener("change", toggle);
  const key = form.dataset.draftKey;
  const note = form.querySelector("[data-draft-status]");
  // Drafts (here and on the server) never hold a full phone or ID number: the phone is kept
  // masked, and so is any number typed in the text, as the server masks them too. A new number
  // typed but not yet submitted must be typed again after a reload; that is all a draft can lose.
  const personal = new Set(Array.from(form.querySelectorAll("[data-personal-number]"), (input) => input.name));
  const draftData = () => {
    const data = new FormData();
    for (const [name, value] of new FormData(form).entries()) {
      const kept = typeof value !== "string" || name === "csrfmiddlewaretoken" ? value
        : personal.has(name) ? phoneAtRest(value) : numbersMasked(value);
      data.append(name, kept);
    }
    return data;
  };
  const fields = () => {
    const object = {};
    for (const [name, value] of draftData().entries()) {
      if (name === "csrfmiddlewaretoken") continue;
      (object[name] = object[name] || []).push(value);
    }
    return object;
  };
  // restore what this browser kept if the page was lost before the server had it
  try {
    const kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && !form.querySelector(".invalid")) {
      for (const [name, values] of Object.entries(kept)) {
        for (const input of form.querySelectorAll(`[name="${name}"]`)) {
          if (input.type === "radio" || input.type === "checkbox") input.checked = values.includes(input.value);
          else input.value = values[0];
        }
      }
    }
  } catch (error) { /* nothing kept */ }
  toggle();
  let timer = null;
  const save = async () => {
    const data = draftData();
    localStorage.setItem(key, JSON.stringify(fields()));
    try {
      const response = await fetch(form.dataset.draftUrl, { method: "POST", body: data, redirect: "manual" });
      if (response.ok) {
        const state = await response.json();
        if (note) note.textContent = `${note.dataset.savedLabel || "✓"} ${state.at}`;
      } else if (note && response.type === "opaqueredirect") {
        // the session ended (idle or too long): sent to the login page. The server keeps the
        // last draft it saved, this browser what was typed since; the form brings both back.
        note.textContent = note.dataset.expiredLabel || "⚠";
        note.classList.add("warning");
      } else if (note) {
        note.textContent = "⚠";
      }
    } catch (error) { if (note) note.textContent = "⚠"; }
  };
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(save, 1500); });
  form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(save, 800); });
  form.addEventListener("submit", () => localStorage.removeItem(key));
});

// "Show" next to a masked number asks for the full number by POST (the reveal is recorded)
// and shows it in place.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest && event.target.closest("form[data-reveal]");
  if (!form) return;
  event.preventDefault();
  const shown = form.parentElement.querySelector("[data-number]");
  try {
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), headers: { Accept: "application/json" },
      credentials: "same-origin", cache: "no-store",
    });
    if (!response.ok) throw new Error(String(response.status));
    const answer = await response.json();
    shown.textContent = "";
    if (answer.what === "phone") {
      // a phone number shown is one to call: a tap on a tablet or phone dials it
      const call = document.createElement("a");
      call.href = `tel:${answer.number}`;
      call.textContent = answer.number;
      shown.append(call);
    } else {
      shown.textContent = answer.number;
    }
    form.remove();
  } catch (error) {
    const button = form.querySelector("button");
    if (button) button.textContent = "⚠";
  }
});

// A whole ID number typed into the list's search goes to the find form (POST), so that it
// never lands in a URL; the list itself searches the last 4 to 6 digits only.
document.addEventListener("submit", (event) => {
  const search = event.target.closest && event.target.closest("form[data-case-search]");
  const find = document.querySelector("form[data-case-find]");
  if (!search || !find) return;
  const box = search.elements.namedItem("q");
  const text = box ? box.value.replace(/\s+/g, "").toUpperCase() : "";
  if (!/^\d{17}[\dX]$/.test(text)) return;
  event.preventDefault();
  box.value = "";
  find.elements.namedItem("id_number").value = text;
  find.submit();
});
