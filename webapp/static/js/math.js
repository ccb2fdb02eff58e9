// Typeset the math spans that the server's Markdown renderer leaves for KaTeX.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("span.math").forEach((element) => {
    if (element.dataset.typeset) return;
    window.katex.render(element.textContent, element, {
      displayMode: element.classList.contains("display"),
      throwOnError: false,
    });
    element.dataset.typeset = "1";
  });
});
