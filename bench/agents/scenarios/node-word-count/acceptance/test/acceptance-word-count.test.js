"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { countWords } = require("../src/text");

test("countWords counts words separated by white space", () => {
  assert.equal(countWords("one two  three\nfour\tfive"), 5);
});

test("countWords splits on punctuation", () => {
  assert.equal(countWords("one,two;three:four.five!six?seven(eight)"), 8);
});

test("countWords keeps apostrophes and hyphens inside words", () => {
  assert.equal(countWords("Don't stop: a well-known song."), 5);
});

test("countWords is 0 for empty or blank text", () => {
  assert.equal(countWords(""), 0);
  assert.equal(countWords("  \n "), 0);
  assert.equal(countWords(" ... !"), 0);
});
