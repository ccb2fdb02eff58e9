// Debrief and transcript: pressing a key point shows only the words of the answer that earned it.
(() => {
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest(".point-toggle");
    if (!toggle) return;
    const answer = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!answer) return;
    const showing = toggle.getAttribute("aria-pressed") !== "true";
    toggle.closest(".points").querySelectorAll(".point-toggle").forEach((other) => {
      other.setAttribute("aria-pressed", "false");
    });
    toggle.setAttribute("aria-pressed", String(showing));
    answer.classList.toggle("showing-point", showing);
    answer.querySelectorAll("mark[data-points]").forEach((mark) => {
      const backs = showing && mark.dataset.points.split(" ").includes(toggle.dataset.point);
      mark.classList.toggle("selected", backs);
    });
  });
})();
