// Building the page from untrusted text: every string goes in as a text node, never as markup.

/** Creates an element with attributes (strings only; event handlers are never set this way) and children (nodes or text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** True for an absolute http(s) URL: only those become links (no javascript:, data: or file: on the page). */
export function isWebUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** A link to an outside page when the URL is http(s), else the URL as plain text. */
export function externalLink(url, text, attributes = {}) {
  return isWebUrl(url)
    ? el("a", { ...attributes, href: url, rel: "noopener noreferrer", target: "_blank" }, text)
    : el("span", { ...attributes, title: url }, text);
}

/** "3 min ago" from an ISO time. */
export function age(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) {
    return "";
  }
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** Tokens in and out, e.g. "1,234 in / 56 out". */
export function tokens(usage) {
  if (!usage) {
    return "";
  }
  const format = (n) => Number(n ?? 0).toLocaleString("en");
  return `${format(usage.inputTokens)} in / ${format(usage.outputTokens)} out`;
}

/** The hash route of a feature, of a task's transcript. Ids are encoded: a task id is model output. */
export const routes = {
  list: () => "#/",
  feature: (id) => `#/features/${encodeURIComponent(id)}`,
  transcript: (id, taskId) => `#/features/${encodeURIComponent(id)}/tasks/${encodeURIComponent(taskId)}`,
};
