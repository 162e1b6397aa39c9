"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { capitalize, reverse, isBlank } = require("../src/text");

test("capitalize upper-cases the first character only", () => {
  assert.equal(capitalize("hello world"), "Hello world");
  assert.equal(capitalize(""), "");
});

test("reverse reverses code points", () => {
  assert.equal(reverse("abc"), "cba");
  assert.equal(reverse("añb"), "bña");
});

test("isBlank is true for white space only", () => {
  assert.equal(isBlank("  \n\t"), true);
  assert.equal(isBlank(" a "), false);
});
