// The start form: how many distinct questions the chosen topics can ask, kept in step with the choices.
(() => {
  const form = document.querySelector(".start-form");
  if (!form) return;
  const boxes = [...form.querySelectorAll('input[name="topics"]')];
  const includeUnanswered = form.querySelector('input[name="include_unanswered"]');
  const count = form.querySelector('input[name="count"]');
  const available = form.querySelector('[data-testid="available"]');
  const fewer = form.querySelector('[data-testid="fewer"]');

  const unanswered = form.querySelector('[data-testid="unanswered"]');
  const ids = (box, lists) => lists.map((list) => box.dataset[list]).join(" ").split(" ").filter(Boolean);
  const distinct = (boxesChosen, lists) => new Set(boxesChosen.flatMap((box) => ids(box, lists))).size;

  const update = () => {
    const chosen = boxes.filter((box) => box.checked);
    const from = chosen.length ? chosen : boxes;
    const included = includeUnanswered && includeUnanswered.checked;
    const size = distinct(from, included ? ["answered", "unanswered"] : ["answered"]);
    const more = included ? 0 : distinct(from, ["answered", "unanswered"]) - size;
    available.textContent = size;
    unanswered.hidden = more === 0;
    unanswered.textContent = unanswered.dataset.template.replace("{n}", more);
    const short = Number(count.value) > size;
    fewer.hidden = !short;
    if (short) fewer.textContent = fewer.dataset.template.replace("{n}", size);
  };

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
