// One feature, live: its state, plan, task graph, verification and pull request, from the API's server-sent events
// (GET /features/{id}/events, event "feature": the whole view each time it changes). Approve, reject or cancel from here.
import { call, follow } from "./api.js";
import { age, el, externalLink, replace, routes, tokens } from "./dom.js";
import { taskGraph } from "./graph.js";

const finalStates = new Set(["Completed", "Failed", "Cancelled"]);
const retryAfter = 2000;

/** Shows feature id in container, following its changes until the returned stop function is called. */
export function showFeature(container, id) {
  const parts = {
    status: el("p", { class: "status", role: "status", "data-testid": "connection" }, "Connecting…"),
    header: el("div", { class: "feature-header" }),
    actions: el("div", { class: "actions" }),
    message: el("p", { class: "message", role: "alert" }),
    plan: el("section", { class: "plan" }),
    graph: el("section", { class: "tasks" }),
    outcome: el("section", { class: "outcome" }),
  };
  replace(container, el("p", {}, el("a", { href: routes.list() }, "← All features")),
    parts.status, parts.header, parts.actions, parts.message, parts.plan, parts.graph, parts.outcome);

  const abort = new AbortController();
  let shownState = null;
  function render(feature) {
    replace(parts.header, header(feature));
    if (feature.state !== shownState) {
      // Rebuilt only when the state changes, so a reason being typed is not wiped by the next event.
      shownState = feature.state;
      replace(parts.actions, actions(feature, parts.message));
    }
    replace(parts.plan, plan(feature));
    replace(parts.graph, el("h3", {}, "Tasks"), taskGraph(feature));
    replace(parts.outcome, outcome(feature));
  }

  async function watch() {
    while (!abort.signal.aborted) {
      let last = null;
      try {
        replace(parts.status, "Live");
        await follow(`/features/${encodeURIComponent(id)}/events`, (event) => {
          if (event.type === "feature") {
            last = JSON.parse(event.data);
            render(last);
          }
        }, abort.signal);
        if (last && finalStates.has(last.state)) {
          replace(parts.status, `Ended: ${last.state}`);
          return;
        }
      } catch (error) {
        if (abort.signal.aborted) {
          return;
        }
        if (error.status === 404 || error.status === 400) {
          replace(parts.status, `No such feature: ${error.message}`);
          return;
        }
        replace(parts.status, `Connection lost (${error.message}); reconnecting…`);
      }
      await new Promise((resolve) => setTimeout(resolve, retryAfter));
    }
  }
  watch();
  return () => abort.abort();
}

function header(feature) {
  const facts = [
    ["Repository", `${feature.repository} (${feature.baseBranch})`],
    ["Submitted", `${age(feature.submittedAt)} (${feature.submittedAt})`],
    ["Model", feature.scripted ? `${feature.model} (scripted)` : feature.model],
    ["Usage", `${tokens(feature.usage)}, ${feature.usage?.calls ?? 0} calls${feature.cost ? `, ${feature.cost}` : ""}`],
    ["Budget", `${Number(feature.tokenBudget).toLocaleString("en")} tokens`],
  ];
  return [
    el("h2", { class: "feature-title" },
      el("span", { class: `state state-${feature.state}`, "data-testid": "feature-state", "data-state": feature.state }, feature.state),
      " ", feature.title || "(untitled)"),
    el("dl", { class: "facts" }, facts.map(([name, value]) => [el("dt", {}, name), el("dd", {}, value)])),
    el("h3", {}, "Request"),
    el("pre", { class: "request", "data-testid": "request" }, feature.request),
    feature.failureReason
      ? el("p", { class: "failure", "data-testid": "failure-reason" }, el("strong", {}, "Failed: "), feature.failureReason)
      : null,
  ];
}

function plan(feature) {
  if (!feature.summary && !feature.interface && feature.state !== "AwaitingApproval") {
    return [];
  }
  return [
    el("h3", {}, feature.state === "AwaitingApproval" ? "The plan, awaiting your approval" : "Plan"),
    feature.approvalDeadline && feature.state === "AwaitingApproval"
      ? el("p", { "data-testid": "approval-deadline" }, `Approve or reject before ${feature.approvalDeadline}; after that it fails.`)
      : null,
    feature.summary ? el("p", { class: "summary" }, feature.summary) : null,
    feature.interface ? el("pre", { class: "interface" }, feature.interface) : null,
  ];
}

function outcome(feature) {
  const verification = feature.verification;
  const pull = feature.pullRequest;
  return [
    el("h3", {}, "Outcome"),
    verification
      ? el("div", { class: `verification ${verification.passed ? "passed" : "failed"}`, "data-testid": "verification",
          "data-passed": String(verification.passed) },
        el("p", {}, verification.ran === false ? "Not verified: " : verification.passed ? "Verification passed: " : "Verification failed: ",
          el("code", {}, verification.command)),
        verification.summary ? el("pre", {}, verification.summary) : null)
      : el("p", { class: "status" }, finalStates.has(feature.state) ? "No verification." : "Not verified yet."),
    review(feature.review),
    pull
      ? el("p", { "data-testid": "pull-request", "data-number": pull.number },
          "Pull request: ", externalLink(pull.url, `#${pull.number} ${pull.head} → ${pull.base}`, { class: "pull-request" }),
          ` (${pull.forge})`)
      : el("p", { class: "status" }, "No pull request yet."),
  ];
}

// The Reviewer's verdict and how many findings it had (each finding, file:line, in the review task's transcript).
function review(review) {
  if (!review || !review.enabled) {
    return el("p", { class: "status", "data-testid": "review" }, "Review: off.");
  }

  if (!review.verdict && !review.outcome) {
    return el("p", { class: "status", "data-testid": "review" }, "Review: not yet.");
  }

  const findings = review.findingsCount === 1 ? "1 finding" : `${review.findingsCount} findings`;
  return el("p", { "data-testid": "review", "data-verdict": review.verdict ?? "", "data-findings": String(review.findingsCount) },
    `Review (round ${review.rounds}): ${review.verdict ?? "none"}, ${findings} (${review.mustFixCount} must-fix)`,
    review.outcome ? ` · ${review.outcome}` : "",
    review.note ? ` · ${review.note}` : "");
}

function actions(feature, message) {
  const id = encodeURIComponent(feature.id);
  async function act(button, method, path, body, done) {
    button.disabled = true;
    try {
      await call(method, path, body);
      replace(message, done);
    } catch (error) {
      replace(message, `${error.title}: ${error.message}`);
      button.disabled = false;
    }
  }

  const buttons = [];
  if (feature.state === "AwaitingApproval") {
    const approve = el("button", { type: "button", class: "approve", "data-testid": "approve" }, "Approve plan");
    approve.addEventListener("click", () => act(approve, "POST", `/features/${id}/approve`, undefined, "Approved: the tasks start."));
    const reason = el("input", { type: "text", name: "reason", placeholder: "Why reject?", "aria-label": "Reason", maxlength: 1000 });
    const reject = el("button", { type: "submit", class: "reject", "data-testid": "reject" }, "Reject");
    const form = el("form", { class: "reject-form" }, reason, reject);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (reason.value.trim() === "") {
        replace(message, "Give a reason to reject the plan.");
        return;
      }
      act(reject, "POST", `/features/${id}/reject`, { reason: reason.value.trim() }, "Rejected.");
    });
    buttons.push(approve, form);
  }
  if (!finalStates.has(feature.state)) {
    const cancel = el("button", { type: "button", class: "cancel", "data-testid": "cancel" }, "Cancel feature");
    cancel.addEventListener("click", () => {
      if (confirm("Cancel this feature? Its work stops.")) {
        act(cancel, "POST", `/features/${id}/cancel`, { reason: "cancelled from the board" }, "Cancel requested.");
      }
    });
    buttons.push(cancel);
  }
  return buttons;
}
