"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { titleCase } = require("../src/text");

test("titleCase capitalizes words and lower-cases the rest", () => {
  assert.equal(titleCase("hello WORLD"), "Hello World");
});

test("titleCase keeps small words lower case in the middle", () => {
  assert.equal(titleCase("the lord OF the rings"), "The Lord of the Rings");
  assert.equal(titleCase("war and peace"), "War and Peace");
});

test("titleCase capitalizes small words at the start and the end", () => {
  assert.equal(titleCase("a tale to"), "A Tale To");
  assert.equal(titleCase("of"), "Of");
});

test("titleCase of empty text is empty", () => {
  assert.equal(titleCase(""), "");
});
