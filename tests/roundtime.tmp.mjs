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
await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
await new Promise((r) => setTimeout(r, 1500));
await page.locator("#reasoner").screenshot({ path: `/tmp/out/reasoner-full-${width}.png` });
await browser.close();
