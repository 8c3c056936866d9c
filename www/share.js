// share.js: "Copy link" and "Embed". The link is the page exactly as it shows now (settings,
// presenter mode, open sections, the probed point: playground.link()); the embed code is an
// iframe of one chapter alone, 720 px wide. Both go to the clipboard where the browser allows
// it; inside a frame it often does not, so the text is always shown, selected, to copy by hand.

import * as playground from "./playground/playground.js";
import { CHAPTERS, chapterInView } from "./view.js";

const $ = (id) => document.getElementById(id);

/** Width (px) of the column an embedded chapter is laid out for. */
const EMBED_WIDTH = 720;

/** Wires every Copy link and Embed button, the chapter picker and Close. */
export function initShare() {
  for (const button of document.querySelectorAll("[data-share=link]")) {
    button.addEventListener("click", () => offer(playground.link(), "link"));
  }
  for (const button of document.querySelectorAll("[data-share=embed]")) {
    button.addEventListener("click", () => offerEmbed(chapterInView()));
  }
  const picker = $("share-chapter");
  picker.replaceChildren(...CHAPTERS.map((c) => Object.assign(document.createElement("option"), { value: c.name, textContent: c.title })));
  picker.addEventListener("change", () => offerEmbed(picker.value));
  $("share-close").addEventListener("click", () => ($("share").hidden = true));
}

/** The iframe code for `chapter` (a CHAPTERS name), offered like a link. */
function offerEmbed(chapter) {
  const { name, title, height } = CHAPTERS.find((c) => c.name === chapter) ?? CHAPTERS[0];
  $("share-chapter").value = name;
  const src = attribute(playground.link({ embed: name }));
  offer(`<iframe src="${src}" width="${EMBED_WIDTH}" height="${height}" title="Distillation Playground: ${attribute(title)}" loading="lazy"></iframe>`, "embed");
}

/** Shows `text` selected in the share panel and tries to put it on the clipboard. */
async function offer(text, kind) {
  const field = $("share-text");
  $("share").hidden = false;
  $("share").dataset.kind = kind;
  $("share-chapter-label").hidden = kind !== "embed";
  field.value = text;
  field.rows = kind === "embed" ? 4 : 2;
  const what = kind === "embed" ? "The embed code" : "The link";
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // No clipboard here (a frame without the permission, or an insecure page): by hand.
  }
  $("share").dataset.copied = String(copied);
  $("share-status").textContent = copied
    ? `${what} is copied to the clipboard${kind === "link" ? ": it opens the page exactly as it is now" : ""}.`
    : `This page may not use the clipboard here (inside a frame browsers often refuse): ${what.toLowerCase()} is selected below; copy it with Ctrl+C (⌘C on a Mac).`;
  field.focus();
  field.select();
}

/** Text made safe inside a double-quoted HTML attribute. */
function attribute(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
