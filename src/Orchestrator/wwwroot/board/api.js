// The board's calls to the orchestrator's API, with the key the user typed (kept in sessionStorage: gone with the tab).
import { createEventStreamParser } from "./sse.js";

const keyName = "orchestrator.apiKey";
const listeners = new Set();

export function apiKey() {
  return sessionStorage.getItem(keyName);
}

export function setApiKey(key) {
  sessionStorage.setItem(keyName, key);
}

export function forgetApiKey() {
  sessionStorage.removeItem(keyName);
}

/** The API refused the key: forget it and tell the page to ask again. */
function refuseApiKey() {
  forgetApiKey();
  listeners.forEach((listener) => listener());
}

export function onKeyRefused(listener) {
  listeners.add(listener);
}

/** An API error: its status and the problem's title and detail, as the API wrote them (shown as text). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem?.title || `HTTP ${status}`;
  }
}

function headers(extra) {
  return { Authorization: `Bearer ${apiKey() ?? ""}`, ...extra };
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Sends a request; answers the parsed JSON body, or throws ApiError (and asks for the key again on 401). */
export async function call(method, path, body) {
  const init = { method, headers: headers({ Accept: "application/json" }), cache: "no-store" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    refuseApiKey();
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.status === 204 ? null : response.json();
}

/**
 * Follows a server-sent event stream until it ends or signal aborts; calls onEvent({ type, data, id }) per event.
 * Resolves when the server closes the stream; rejects with ApiError for a refused request.
 */
export async function follow(path, onEvent, signal) {
  const response = await fetch(path, { headers: headers({ Accept: "text/event-stream" }), cache: "no-store", signal });
  if (response.status === 401) {
    refuseApiKey();
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  const parser = createEventStreamParser(onEvent);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    parser.push(value);
  }
}
