// Injected into every page the browser benchmark opens (benchmarks/browser.py), before the
// page's own scripts. It notes, on the page's clock, when the last click or key went down
// (`start`), when a Vega chart last drew (`chart`): into its SVG (Streamlit's renderer for
// small charts) or onto its canvas (for large ones), which no attribute of the page shows, and
// when each binary frame of the server's WebSocket arrived (`frames`, in order: the benchmark
// counts the same frames and knows which one said a script run finished).
(() => {
  const CHART = "[data-testid='stVegaLiteChart']";
  const bench = (window.__bench = { start: 0, chart: 0, frames: [] });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") bench.frames.push(performance.now());
      });
    }
  };
  const chartOf = (node) => (node && node.closest ? node.closest(CHART) : null);
  const started = () => {
    bench.start = performance.now();
  };
  addEventListener("mousedown", started, true);
  addEventListener("keydown", started, true);

  // An SVG chart draws by changing its elements: any change to an SVG element inside a chart,
  // or an SVG or canvas put into one, is a drawing (icons elsewhere are not in a chart).
  const drawing = (record) => {
    const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    const added = [...record.addedNodes].some(
      (node) => node instanceof SVGSVGElement || node instanceof HTMLCanvasElement,
    );
    return (target instanceof SVGElement || added) && chartOf(target) !== null;
  };
  new MutationObserver((records) => {
    if (records.some(drawing)) bench.chart = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });

  // A canvas chart draws without changing the page: Vega ends every drawing with restore().
  // Whether a canvas is a chart's is looked up once (the data grid's canvas draws often).
  const inChart = new WeakMap();
  const restore = CanvasRenderingContext2D.prototype.restore;
  CanvasRenderingContext2D.prototype.restore = function () {
    const canvas = this.canvas;
    let found = inChart.get(canvas);
    if (found === undefined && canvas.isConnected) {
      found = chartOf(canvas) !== null;
      inChart.set(canvas, found);
    }
    if (found) bench.chart = performance.now();
    return restore.apply(this, arguments);
  };
})();
