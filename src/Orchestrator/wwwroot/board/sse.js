// A parser for server-sent events read through fetch: EventSource cannot send the Authorization header, and the API key
// must not travel in a URL (it would land in logs and history). Follows the WHATWG event-stream rules that the API uses:
// "event:", "data:" (several lines join with "\n"), "id:", comments (":"), and any of CRLF, LF or CR ending a line.

/** Feeds text chunks in; calls onEvent({ type, data, id }) for each complete event. */
export function createEventStreamParser(onEvent) {
  let buffer = "";
  let type = "";
  let data = [];
  let id = "";

  function dispatch() {
    if (data.length > 0) {
      onEvent({ type: type || "message", data: data.join("\n"), id });
    }
    type = "";
    data = [];
  }

  function line(text) {
    if (text === "") {
      dispatch();
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    if (field === "event") {
      type = value;
    } else if (field === "data") {
      data.push(value);
    } else if (field === "id") {
      id = value;
    }
  }

  return {
    push(chunk) {
      buffer += chunk;
      // A chunk may end between "\r" and "\n": hold a trailing "\r" until the next chunk says whether "\n" follows.
      const held = buffer.endsWith("\r") ? "\r" : "";
      const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      buffer = lines.pop() + held;
      lines.forEach(line);
    },
  };
}
