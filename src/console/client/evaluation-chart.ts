// A small SVG chart of a goal's nightly evaluations: the value per local day as a line, each day's dot
// coloured by whether it met the goal (a day without data is a grey dot on the axis).

export interface EvaluationPoint {
  period: string;
  value: number | null;
  hit: boolean;
  noData: boolean;
}

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 520;
const HEIGHT = 160;
const PAD = 28;
/** Room for the value labels of the y axis. */
const PAD_LEFT = 56;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

export function evaluationChart(points: EvaluationPoint[]): SVGSVGElement {
  const hits = points.filter((point) => point.hit).length;
  const chart = svg("svg", {
    class: "chart",
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "data-testid": "goal-chart",
    "aria-label": `${points.length} evaluations, ${hits} met the goal`,
  });
  const values = points.flatMap((point) => (point.value === null ? [] : [point.value]));
  const min = Math.min(0, ...values);
  const max = Math.max(1, ...values);
  const x = (index: number) =>
    points.length <= 1 ? WIDTH / 2 : PAD_LEFT + (index * (WIDTH - PAD_LEFT - PAD)) / (points.length - 1);
  const y = (value: number) => HEIGHT - PAD - ((value - min) * (HEIGHT - 2 * PAD)) / (max - min || 1);

  chart.append(
    svg("line", { x1: PAD_LEFT, y1: HEIGHT - PAD, x2: WIDTH - PAD, y2: HEIGHT - PAD, stroke: "#aab" }),
  );
  const axisLabel = (text: string, atX: number, atY: number, anchor: string) => {
    const label = svg("text", { x: atX, y: atY, "font-size": 10, fill: "#667", "text-anchor": anchor });
    label.textContent = text;
    chart.append(label);
  };
  axisLabel(max.toLocaleString(), PAD_LEFT - 6, PAD + 4, "end");
  axisLabel(min.toLocaleString(), PAD_LEFT - 6, HEIGHT - PAD + 4, "end");
  if (points[0]) axisLabel(points[0].period, x(0), HEIGHT - 8, "start");
  const last = points.at(-1);
  if (last && points.length > 1) axisLabel(last.period, x(points.length - 1), HEIGHT - 8, "end");

  const line = points.flatMap((point, index) =>
    point.value === null ? [] : [`${x(index)},${y(point.value)}`],
  );
  if (line.length > 1) chart.append(svg("polyline", { points: line.join(" ") }));
  points.forEach((point, index) => {
    const kind = point.noData ? "other" : point.hit ? "met" : "missed";
    const dot = svg("circle", {
      cx: x(index),
      cy: point.value === null ? HEIGHT - PAD : y(point.value),
      r: 3.5,
      class: kind,
    });
    const title = svg("title", {});
    const outcome = point.noData ? "no data" : point.hit ? "met" : "missed";
    title.textContent = `${point.period}: ${point.value ?? "–"} (${outcome})`;
    dot.append(title);
    chart.append(dot);
  });
  return chart;
}
