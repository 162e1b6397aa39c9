// A task's transcript: every model turn and tool call of its agent (GET /features/{id}/tasks/{taskId}/log), then new
// entries live from .../log/events (event "entry"). A task that has not logged anything yet answers 404.
import { ApiError, call, follow } from "./api.js";
import { el, replace, routes } from "./dom.js";

const retryAfter = 3000;

/** Shows the transcript of taskId in container until the returned stop function is called. */
export function showTranscript(container, featureId, taskId) {
  const base = `/features/${encodeURIComponent(featureId)}/tasks/${encodeURIComponent(taskId)}/log`;
  const status = el("p", { class: "status", role: "status", "data-testid": "transcript-status" }, "Loading…");
  const body = el("tbody");
  const table = el("table", { class: "transcript", "data-testid": "transcript" },
    el("thead", {}, el("tr", {},
      ["Attempt", "#", "At", "Kind", "Name", "Summary", "Result", "OK", "ms", "Tokens"].map((h) => el("th", {}, h)))),
    body);
  replace(container,
    el("p", {}, el("a", { href: routes.feature(featureId) }, "← The feature")),
    el("h2", {}, "Transcript of ", el("code", {}, taskId)),
    status, table);

  const abort = new AbortController();
  const seen = new Set();
  function add(entry) {
    const key = `${entry.attempt}/${entry.sequence}`;
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    body.append(row(entry));
  }

  async function load() {
    while (!abort.signal.aborted) {
      try {
        const log = await call("GET", base);
        (log.entries ?? []).forEach(add);
        replace(status, seen.size === 0 ? "No entries yet; following live." : "Following live.");
        await follow(`${base}/events`, (event) => {
          if (event.type === "entry") {
            add(JSON.parse(event.data));
          }
        }, abort.signal);
        replace(status, `${seen.size} entries; the task has ended.`);
        return;
      } catch (error) {
        if (abort.signal.aborted) {
          return;
        }
        replace(status, error instanceof ApiError && error.status === 404
          ? "No transcript yet."
          : `Could not load the transcript: ${error.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, retryAfter));
    }
  }
  load();
  return () => abort.abort();
}

function row(entry) {
  const tokens = entry.kind === "model" ? `${entry.inputTokens ?? 0} in / ${entry.outputTokens ?? 0} out` : "";
  return el("tr", { class: `entry kind-${entry.kind}`, "data-ok": String(entry.ok) },
    el("td", {}, String(entry.attempt)),
    el("td", {}, String(entry.sequence)),
    el("td", { title: entry.at }, new Date(entry.at).toLocaleTimeString()),
    el("td", {}, entry.kind),
    el("td", {}, el("code", {}, entry.name ?? "")),
    el("td", {}, el("pre", {}, entry.summary ?? "")),
    el("td", {}, el("pre", {}, entry.result ?? "")),
    el("td", {}, entry.ok ? "yes" : "no"),
    el("td", {}, String(entry.durationMs ?? "")),
    el("td", {}, tokens));
}
