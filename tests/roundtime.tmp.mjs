import { launch, openPage, waitForReady } from "./playground.mjs";
const browser = await launch();
const { page } = await openPage(browser, { hash: process.argv[2] || "" });
// wait for playground to be done so it does not compete
await waitForReady(page); await page.keyboard.press("k").catch(() => {}); await new Promise((r) => setTimeout(r, 3000));
const t0 = Date.now();
await page.locator("#reasoner summary").click();
let first = null, gapAt = null;
for (;;) {
  const s = await page.evaluate(() => { const r = document.querySelector("[data-testid=reasoner-details]"); return { step: Number(r.dataset.step || 0), done: r.dataset.done, load: r.dataset.loadMs }; });
  if (first === null && s.step > 0) first = Date.now() - t0;
  if (s.done === "true") break;
  await new Promise((r) => setTimeout(r, 100));
}
const total = Date.now() - t0;
const finding = await page.getByTestId("lesson-finding-reasoner").textContent();
console.log(JSON.stringify({ firstStepMs: first, totalMs: total, finding }));
const width = Number(process.argv[3] || 1280);
const height = Number(process.argv[4] || (width === 390 ? 844 : 900));
await page.setViewportSize({ width, height });
await new Promise((r) => setTimeout(r, 1500));
const tag = process.argv[5] || "full";
if (tag === "full") await page.locator("#reasoner").screenshot({ path: `/tmp/out/reasoner-full-${width}.png` });
else {
  await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: "start" }), process.argv[6] || "reasoner-charts");
  await page.evaluate(() => window.scrollBy(0, -80));
  await new Promise((r) => setTimeout(r, 800));
  await page.screenshot({ path: `/tmp/out/reasoner-${tag}-${width}.png` });
  const b = await page.locator("#reasoner-charts").boundingBox();
  console.log(JSON.stringify(b));
}
await browser.close();
