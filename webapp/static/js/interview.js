// The chat page: focus on arrival, keyboard submit that respects IME composition, draft autosave, countdown, one submit only.
(() => {
  const form = document.getElementById("answer-form");
  if (!form) return;
  const answer = form.querySelector('[data-testid="answer"]');
  const submitButton = form.querySelector('[data-testid="submit"]');
  const status = form.querySelector('[data-testid="draft-status"]');
  const countdown = document.querySelector('[data-testid="countdown"]');
  const draftUrl = form.dataset.draftUrl;
  const storeKey = form.dataset.storeKey;
  const AUTOSAVE_MS = 5000;
  let composing = false;
  let submitting = false;
  let savedText = answer.defaultValue;  // what the server has: text typed before this script ran is unsaved
  let saving = false;

  // Land ready to answer: the question in view (the URL's #current-question scrolls to it), the cursor in the box;
  // again after load, because following the URL's fragment moves the focus back to the page.
  const land = () => answer.focus({ preventScroll: location.hash === "#current-question" });
  land();
  window.addEventListener("load", () => requestAnimationFrame(land));

  // Keyboard: Enter is a new line; Ctrl+Enter or Cmd+Enter submits, never while an IME is composing.
  answer.addEventListener("compositionstart", () => { composing = true; });
  answer.addEventListener("compositionend", () => { composing = false; });
  answer.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (composing || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    form.requestSubmit(submitButton);
  });

  // One submit per page: later clicks and key presses do nothing; the server also ignores a repeated key.
  form.addEventListener("submit", (event) => {
    if (submitting) {
      event.preventDefault();
      return;
    }
    submitting = true;
    setTimeout(() => form.querySelectorAll("button").forEach((button) => { button.disabled = true; }), 0);
  });

  // A live count against the limit, in characters as the server counts them (code points, not UTF-16 units).
  const counter = document.getElementById("char-count");
  if (counter) {
    const limit = Number(counter.dataset.limit);
    const template = counter.textContent.replace(/\d+/, "{count}");
    const renderCount = () => {
      const count = [...answer.value].length;
      const over = count > limit;
      counter.textContent = template.replace("{count}", count) + (over ? ` · ${counter.dataset.over}` : "");
      counter.classList.toggle("over", over);
    };
    answer.addEventListener("input", renderCount);
    renderCount();
  }

  // Drafts: saved every few seconds when changed, and once more when the page is left or hidden.
  const showStatus = (text) => { if (status) status.textContent = text; };
  const draftData = () => new FormData(form);

  // The browser keeps its own copy of the text, so a lost sign-in, a lost race or a database outage loses
  // nothing: the next render of this question puts it back. Copies of earlier questions are dropped.
  const storage = (() => { try { return window.localStorage; } catch { return null; } })();
  const keep = () => { if (storage && storeKey) storage.setItem(storeKey, answer.value); };
  if (storage && storeKey) {
    const prefix = storeKey.slice(0, storeKey.lastIndexOf("-") + 1);
    Object.keys(storage).filter((key) => key.startsWith(prefix) && key !== storeKey)
      .forEach((key) => storage.removeItem(key));
    const kept = storage.getItem(storeKey);
    if (kept && kept !== answer.value && kept.startsWith(answer.value)) {
      answer.value = kept;
      showStatus(status.dataset.restored);
    }
  }
  answer.addEventListener("input", keep);

  async function saveDraft() {
    if (saving || submitting || answer.value === savedText) return;
    saving = true;
    const text = answer.value;
    showStatus(status.dataset.saving);
    try {
      const response = await fetch(draftUrl, {
        method: "POST", body: draftData(), headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (response.status === 401) {
        showStatus(status.dataset.signedOut);
        return;
      }
      if (!response.ok) throw new Error(`draft not saved: ${response.status}`);
      const body = await response.json();
      savedText = text;
      showStatus(body.label);
    } catch {
      showStatus(status.dataset.offline);
    } finally {
      saving = false;
    }
  }

  function saveOnLeave() {
    if (submitting || answer.value === savedText) return;
    if (navigator.sendBeacon(draftUrl, draftData())) savedText = answer.value;
  }

  setInterval(saveDraft, AUTOSAVE_MS);
  window.addEventListener("online", saveDraft);
  window.addEventListener("pagehide", saveOnLeave);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveOnLeave();
  });

  // Countdown from the server's remaining seconds; at zero the draft is submitted as it is.
  if (countdown && form.dataset.remaining !== undefined) {
    const endsAt = Date.now() + Number(form.dataset.remaining) * 1000;
    const render = () => {
      const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      countdown.dataset.state = left <= 10 ? "danger" : left <= 30 ? "warn" : "ok";
      return left;
    };
    const timer = setInterval(() => {
      if (render() > 0) return;
      clearInterval(timer);
      form.noValidate = true;  // an empty draft is submitted too: time is up
      form.requestSubmit(submitButton);
    }, 250);
    render();
  }
})();
