// fonts.js: a section's fonts looked up ahead of its first frame. The first time the page lays
// out text in a font at a size, the browser looks it up in the system (on Linux, a round trip
// to its own process per family tried) and layout waits: a section opened on busy cores would
// wait there before showing its Workers' first step.

/** Looks up the font of each element in `root` and in `later` (what the section writes later). */
export function warmFonts(root, later = []) {
  const probe = document.createElement("div");
  probe.hidden = true;
  probe.append(...later);
  root.append(probe);
  const fonts = new Set([...root.querySelectorAll("*")].map((element) => getComputedStyle(element).font));
  probe.remove();
  const context = document.createElement("canvas").getContext("2d");
  for (const font of fonts) {
    context.font = font;
    context.measureText("Aa");
  }
}
