// toolbar.js: the playground's toolbar (Play, Step, the phase line) stays in view while the
// playground does, and scrolls away with it: over the later chapters it would control nothing
// they show.

/** Unsticks the toolbar once the playground's last part has scrolled above the window. */
export function initToolbar() {
  const end = document.getElementById("export-playground");
  if (!end || !("IntersectionObserver" in window)) return;
  new IntersectionObserver(([entry]) => {
    const past = !entry.isIntersecting && entry.boundingClientRect.bottom < 0;
    document.documentElement.toggleAttribute("data-past-playground", past);
  }).observe(end);
}
