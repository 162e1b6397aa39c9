// A feature's tasks as a layered graph: one column per dependency depth (a task sits one column right of its deepest
// dependency), so the order of work reads left to right. Each task is a card with its live state.
import { el, routes, tokens } from "./dom.js";

/** Depth of each task id: 0 without dependencies, else one more than its deepest dependency (a cycle counts as 0). */
export function depths(tasks) {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const depth = new Map();
  const visiting = new Set();
  function of(id) {
    if (depth.has(id)) {
      return depth.get(id);
    }
    const task = byId.get(id);
    if (!task || visiting.has(id)) {
      return -1;
    }
    visiting.add(id);
    const deepest = Math.max(-1, ...(task.dependsOn ?? []).map(of));
    visiting.delete(id);
    depth.set(id, deepest + 1);
    return deepest + 1;
  }
  tasks.forEach((task) => of(task.id));
  return depth;
}

/** The task graph of a feature view. */
export function taskGraph(feature) {
  const tasks = feature.tasks ?? [];
  if (tasks.length === 0) {
    return el("p", { class: "status" }, feature.state === "Planning" ? "Planning: no tasks yet." : "No tasks.");
  }
  const depth = depths(tasks);
  const layers = [];
  for (const task of tasks) {
    const layer = depth.get(task.id) ?? 0;
    (layers[layer] ??= []).push(task);
  }
  return el("div", { class: "graph", "data-testid": "task-graph" },
    layers.filter(Boolean).map((layer, index) =>
      el("section", { class: "layer", "aria-label": `Step ${index + 1}` }, layer.map((task) => taskCard(feature.id, task)))));
}

function taskCard(featureId, task) {
  const facts = [
    ["Role", task.role],
    ["State", task.state],
    ["After", (task.dependsOn ?? []).join(", ") || "—"],
    ["Branch", task.branch || "—"],
    ["Agent", task.instance || "—"],
    ["Attempts", String(task.attempts ?? 0)],
    ["Tokens", tokens(task.usage)],
  ];
  return el("article", { class: "task", "data-task-id": task.id, "data-state": task.state, "data-role": task.role },
    el("header", {},
      el("span", { class: `state state-${task.state}` }, task.state),
      el("h4", { class: "task-title" }, task.title || task.id)),
    el("p", { class: "task-id" }, task.id),
    el("dl", {}, facts.map(([name, value]) => [el("dt", {}, name), el("dd", { "data-fact": name.toLowerCase() }, value)])),
    task.summary ? el("p", { class: "summary" }, task.summary) : null,
    task.failureReason ? el("p", { class: "failure" }, task.failureReason) : null,
    (task.earlierFailures ?? []).length > 0
      ? el("details", {}, el("summary", {}, "Earlier attempts"), el("ul", {}, task.earlierFailures.map((f) => el("li", {}, f))))
      : null,
    el("a", { class: "transcript-link", href: routes.transcript(featureId, task.id) }, "Transcript"));
}
