// The board's entry: asks for the API key once per tab, then shows the view the address's hash names:
//   #/                                    the features
//   #/features/{id}                       one feature, live
//   #/features/{id}/tasks/{taskId}        a task's transcript
import { apiKey, forgetApiKey, onKeyRefused, setApiKey } from "./api.js";
import { replace } from "./dom.js";
import { showFeature } from "./feature.js";
import { showList } from "./list.js";
import { showTranscript } from "./transcript.js";

const view = document.getElementById("view");
const keyForm = document.getElementById("key-form");
const keyInput = document.getElementById("api-key");
const keyRefused = document.getElementById("key-refused");
const signOut = document.getElementById("sign-out");
let stopView = () => {};

function route() {
  stopView();
  stopView = () => {};
  if (!apiKey()) {
    replace(view);
    keyForm.hidden = false;
    signOut.hidden = true;
    keyInput.focus();
    return;
  }
  keyForm.hidden = true;
  signOut.hidden = false;
  const path = location.hash.replace(/^#/, "") || "/";
  const transcript = path.match(/^\/features\/([^/]+)\/tasks\/([^/]+)$/);
  const feature = path.match(/^\/features\/([^/]+)$/);
  if (transcript) {
    stopView = showTranscript(view, decodeURIComponent(transcript[1]), decodeURIComponent(transcript[2]));
  } else if (feature) {
    stopView = showFeature(view, decodeURIComponent(feature[1]));
  } else {
    stopView = showList(view);
  }
}

keyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (key !== "") {
    setApiKey(key);
    keyInput.value = "";
    keyRefused.hidden = true;
    route();
  }
});
signOut.addEventListener("click", () => {
  forgetApiKey();
  route();
});
onKeyRefused(() => {
  keyRefused.hidden = false;
  route();
});
window.addEventListener("hashchange", route);
route();
