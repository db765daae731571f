// The console dashboard's only script: draws the charts. Each chart is a
// <div data-chart="ID"> next to <script type="application/json" id="ID"> holding
// {x: [unix seconds...], series: [{label, color, values: [...]}]}; the numbers are also in
// the table under it. Bundled with uPlot by esbuild (console/build.rs), served by the
// console itself, so nothing is loaded from the network.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./dashboard.css";

/** @param {HTMLElement} el */
function draw(el) {
  const source = document.getElementById(el.dataset.chart ?? "");
  if (!source) return;
  /** @type {{x: number[], series: {label: string, color: string, values: number[]}[]}} */
  const data = JSON.parse(source.textContent ?? "{}");
  const opts = {
    width: Math.max(320, el.clientWidth),
    height: 220,
    // Days are UTC days (the console's buckets), so the axis is in UTC too.
    tzDate: (/** @type {number} */ ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [{}, { size: 48 }],
    series: [
      {},
      ...data.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        points: { show: data.x.length < 40 },
      })),
    ],
  };
  new uPlot(opts, [data.x, ...data.series.map((s) => s.values)], el);
  el.dataset.ready = "true";
}

for (const el of document.querySelectorAll("[data-chart]")) draw(/** @type {HTMLElement} */ (el));
