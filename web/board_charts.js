// The auditors' red/yellow/green board as Chart.js stacked bars, one bar per unit or process
// type; clicking a coloured segment opens the list behind it. Only the parts of Chart.js a bar
// chart needs are registered, which keeps the bundle small.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const kSignals = [["red", "已超期", "#d92d20"], ["yellow", "即将到期", "#f79009"], ["green", "时限内", "#12b76a"]];
const shown = new Map();  // canvas -> its chart, destroyed before the canvas is drawn again

// rows: [{<key>: name, red, yellow, green}]; onPick(name, signal) when a segment is clicked.
export function drawSignalChart(canvas, rows, key, onPick) {
  shown.get(canvas)?.destroy();
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((r) => r[key]),
      datasets: kSignals.map(([signal, label, colour]) => ({ label, data: rows.map((r) => r[signal]), backgroundColor: colour, maxBarThickness: 32 })),
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      plugins: { legend: { position: "bottom" } },
      onClick: (event, elements) => {
        if (!elements.length) return;
        const { datasetIndex, index } = elements[0];
        onPick(rows[index][key], kSignals[datasetIndex][0]);
      },
      onHover: (event, elements) => { event.native.target.style.cursor = elements.length ? "pointer" : "default"; },
    },
  });
  shown.set(canvas, chart);
  return chart;
}
