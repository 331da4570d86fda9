// Swagger UI draws its enum filters as <select>s without a name: each is named after its
// parameter (WCAG 4.1.2), whenever Swagger UI draws one.
(() => {
  const name = () => {
    document.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach((select) => {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
  };
  new MutationObserver(name).observe(document.documentElement, { childList: true, subtree: true });
})();
