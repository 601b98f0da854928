// Draws a configuration item's neighbourhood with Cytoscape. The data comes from a json_script
// element named by the container's data-graph attribute (no inline script: CSP allows 'self').
(function () {
  "use strict";
  const container = document.getElementById("ci-graph");
  if (!container || typeof window.cytoscape !== "function") return;
  const source = document.getElementById(container.dataset.graph);
  if (!source) return;
  const graph = JSON.parse(source.textContent);
  const dark = document.documentElement.getAttribute("data-bs-theme") === "dark";
  const ink = dark ? "#e6e7e9" : "#1d273b";
  const colours = { critical: "#d63939", high: "#f76707", medium: "#206bc4", low: "#868e96" };
  const elements = [
    ...graph.nodes.map((n) => ({ data: n, classes: n.start ? "start" : "" })),
    ...graph.edges.map((e) => ({ data: e })),
  ];
  const cy = window.cytoscape({
    container,
    elements,
    layout: { name: graph.nodes.length > 60 ? "concentric" : "cose", animate: false, padding: 30,
      concentric: (node) => (node.data("start") ? 10 : 1), levelWidth: () => 1 },
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "color": ink, "text-valign": "bottom", "text-margin-y": 4,
        "background-color": (n) => colours[n.data("criticality")] || "#868e96", "width": 22, "height": 22 } },
      { selector: "node.start", style: { "border-width": 4, "border-color": "#2fb344", "width": 32, "height": 32 } },
      { selector: "edge", style: {
        "label": "data(label)", "font-size": 8, "color": ink, "curve-style": "bezier", "width": 1.5,
        "line-color": "#adb5bd", "target-arrow-color": "#adb5bd", "target-arrow-shape": "triangle",
        "text-rotation": "autorotate", "text-background-color": dark ? "#151f2c" : "#ffffff",
        "text-background-opacity": 0.8 } },
    ],
  });
  cy.on("tap", "node", (event) => {
    const url = event.target.data("url");
    if (url && !event.target.data("start")) window.location.assign(url);
  });
})();
