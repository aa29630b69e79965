// Charts (Apache ECharts, vendored, aria on): each [data-chart] element draws the numbers in its JSON data block.
// The table next to every chart holds the same numbers, for screen readers, keyboards and print.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var data = JSON.parse(document.getElementById(node.getAttribute("data-chart")).textContent);
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    var series = [{ type: data.kind, name: data.name, data: data.values, label: { show: true },
                    itemStyle: { color: "#1d70b8" } }];
    if (data.target !== null) {
      series.push({ type: "line", name: data.target_name, symbol: "none", lineStyle: { type: "dashed", color: "#0b0c0c" },
                    data: data.labels.map(function () { return data.target; }) });
    }
    chart.setOption({
      aria: { enabled: true, label: { description: data.description } },
      animation: false,
      grid: { left: 48, right: 16, top: 32, bottom: 48, containLabel: true },
      legend: { top: 0 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: data.unit },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
