// The start form: how many distinct questions the chosen topics can ask, kept in step with the choices.
(() => {
  const form = document.querySelector(".start-form");
  if (!form) return;
  const boxes = [...form.querySelectorAll('input[name="topics"]')];
  const includeUnanswered = form.querySelector('input[name="include_unanswered"]');
  const count = form.querySelector('input[name="count"]');
  const available = form.querySelector('[data-testid="available"]');
  const fewer = form.querySelector('[data-testid="fewer"]');

  const ids = (box) => {
    const lists = [box.dataset.answered];
    if (includeUnanswered && includeUnanswered.checked) lists.push(box.dataset.unanswered);
    return lists.join(" ").split(" ").filter(Boolean);
  };

  const update = () => {
    const chosen = boxes.filter((box) => box.checked);
    const questions = new Set((chosen.length ? chosen : boxes).flatMap(ids));
    available.textContent = questions.size;
    const short = Number(count.value) > questions.size;
    fewer.hidden = !short;
    if (short) fewer.textContent = fewer.dataset.template.replace("{n}", questions.size);
  };

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
