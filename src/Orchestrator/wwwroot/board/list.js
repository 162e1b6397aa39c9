// The list of features, newest first, refreshed by polling GET /features (the API has no list stream).
import { call } from "./api.js";
import { age, el, externalLink, replace, routes } from "./dom.js";

const refreshEvery = 3000;

/** Shows the list in container until the returned stop function is called. */
export function showList(container) {
  const status = el("p", { class: "status", role: "status" });
  const body = el("tbody");
  const table = el("table", { class: "features", "data-testid": "features" },
    el("thead", {}, el("tr", {}, ["State", "Title", "Repository", "Submitted", "Pull request"].map((h) => el("th", {}, h)))),
    body);
  replace(container, el("h2", {}, "Features"), status, table);

  let timer = null;
  let stopped = false;
  async function refresh() {
    try {
      const features = await call("GET", "/features");
      features.sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt));
      replace(body, features.map(row));
      replace(status, features.length === 0 ? "No features yet." : "");
    } catch (error) {
      replace(status, `Could not load the features: ${error.message}`);
    }
    if (!stopped) {
      timer = setTimeout(refresh, refreshEvery);
    }
  }
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function row(feature) {
  return el("tr", { "data-feature-id": feature.id, "data-state": feature.state },
    el("td", {}, el("span", { class: `state state-${feature.state}` }, feature.state)),
    el("td", {}, el("a", { href: routes.feature(feature.id), class: "feature-title" }, feature.title || feature.request)),
    el("td", { class: "repository" }, feature.repository),
    el("td", { title: feature.submittedAt }, age(feature.submittedAt)),
    el("td", {}, feature.pullRequest
      ? externalLink(feature.pullRequest.url, `#${feature.pullRequest.number}`, { class: "pull-request" })
      : ""));
}
