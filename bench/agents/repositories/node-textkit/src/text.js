"use strict";

/** Upper-cases the first character of the text; the rest is left as it is. */
function capitalize(text) {
  if (text.length === 0) {
    return text;
  }
  return text[0].toUpperCase() + text.slice(1);
}

/** The text with its characters (code points) in reverse order. */
function reverse(text) {
  return Array.from(text).reverse().join("");
}

/** True when the text is empty or holds only white space. */
function isBlank(text) {
  return text.trim().length === 0;
}

module.exports = { capitalize, reverse, isBlank };
