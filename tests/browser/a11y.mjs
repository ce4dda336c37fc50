// axe-core in headless Debian Chromium against the built HTML report, at the widths a
// reader uses (desktop and phone), plus what axe cannot measure: Tab stops, the width of
// the charts against their column, sideways scrolling of the page.
//
//   node a11y.mjs REPORT.html [WIDTH ...]      (default widths: 1400 400)
//
// Prints one JSON object: {"widths": {"1400": {...}, "400": {...}}}. Opens nothing but the
// file: Chromium runs without background networking, and any request that is not file: or
// data: is aborted and listed under "blocked".
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE = require.resolve("axe-core/axe.min.js");

const CHROMIUM = process.env.KTREPORT_CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const MAX_TABS = 400;

async function measure(context, url, width) {
  const page = await context.newPage({ viewport: { width, height: 900 } });
  const blocked = [];
  await page.route("**/*", (route) => {
    const target = route.request().url();
    if (target.startsWith("file:") || target.startsWith("data:")) return route.continue();
    blocked.push(target);
    return route.abort();
  });
  await page.setViewportSize({ width, height: 900 });
  await page.goto(url, { waitUntil: "load" });
  // Every chart drawn (plotly adds its SVG), then one frame for the responsive relayout.
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".plotly-figure")].every((el) => el.querySelector(".main-svg")),
  );
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  await page.addScriptTag({ path: AXE });
  const axe = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    const brief = (items) =>
      items.map((item) => ({
        id: item.id,
        impact: item.impact,
        nodes: item.nodes.length,
        targets: item.nodes.slice(0, 5).map((node) => node.target.join(" ")),
        help: item.help,
      }));
    return {
      violations: brief(result.violations),
      incomplete: brief(result.incomplete),
      passes: result.passes.length,
    };
  }, TAGS);
  const layout = await page.evaluate(() => {
    const focusable = [
      ...document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
      ),
    ].filter((el) => !el.disabled && el.tabIndex >= 0 && el.checkVisibility());
    const charts = [...document.querySelectorAll(".plotly-figure")].map((plot) => {
      const frame = plot.closest(".chart-frame") || plot.parentElement;
      const column = plot.closest("figure") || frame;
      const svg = plot.querySelector(".main-svg");
      const frameScrolls = frame.scrollWidth > frame.clientWidth + 1;
      // Tick labels of one axis that cover each other (more than a pixel each way).
      const overlaps = [];
      for (const axis of [".xtick text", ".ytick text"]) {
        const ticks = [...plot.querySelectorAll(axis)].map((t) => [t.textContent, t.getBoundingClientRect()]);
        ticks.forEach(([a, ra], i) => ticks.slice(i + 1).forEach(([b, rb]) => {
          const across = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
          const down = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
          if (across > 1 && down > 1) overlaps.push([a, b]);
        }));
      }
      return {
        tickOverlaps: overlaps,
        id: plot.id,
        chartWidth: Math.round(svg.getBoundingClientRect().width),
        columnWidth: Math.round(column.getBoundingClientRect().width),
        frameScrolls,
        frameFocusable: frame.tabIndex >= 0 && !!frame.getAttribute("aria-label"),
        focusableInside: [...plot.querySelectorAll("a[href], button, [tabindex]")].filter(
          (el) => el.tabIndex >= 0,
        ).length,
        dataTable: !!plot.closest("figure")?.querySelector("details.chart-data table th[scope]"),
      };
    });
    return {
      focusable: focusable.length,
      pageScrollWidth: document.documentElement.scrollWidth,
      viewportWidth: document.documentElement.clientWidth,
      charts,
    };
  });
  // Tab from the top of the page until the focus is inside the first chart's figure.
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  let tabsToFirstChart = null;
  for (let presses = 1; presses <= MAX_TABS; presses += 1) {
    await page.keyboard.press("Tab");
    const inChart = await page.evaluate(() => {
      const first = document.querySelector(".plotly-figure");
      const figure = first && (first.closest(".chart") || first.closest("figure"));
      return !!figure && figure.contains(document.activeElement);
    });
    if (inChart) {
      tabsToFirstChart = presses;
      break;
    }
  }
  // Tab stops per chart: focusable elements in each chart's figure (toolbar, data table).
  const stopsPerChart = await page.evaluate(() =>
    [...document.querySelectorAll(".plotly-figure")].map((plot) => {
      const figure = plot.closest("figure") || plot.closest(".chart");
      return [
        ...figure.querySelectorAll(
          'a[href], button, summary, [tabindex]:not([tabindex="-1"])',
        ),
      ].filter((el) => el.tabIndex >= 0 && el.checkVisibility()).length;
    }),
  );
  await page.close();
  return { ...axe, ...layout, tabsToFirstChart, stopsPerChart, blocked };
}

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node a11y.mjs REPORT.html [WIDTH ...]");
    process.exit(2);
  }
  const widths = rest.length ? rest.map(Number) : [1400, 400];
  const url = pathToFileURL(resolve(file)).href;
  const profile = mkdtempSync(join(tmpdir(), "ktreport-a11y-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    offline: true,
  });
  try {
    const out = { widths: {} };
    for (const width of widths) out.widths[width] = await measure(context, url, width);
    process.stdout.write(JSON.stringify(out) + "\n");
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
