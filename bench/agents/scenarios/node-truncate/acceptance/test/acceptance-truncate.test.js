"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { truncate } = require("../src/text");

test("truncate leaves short text unchanged", () => {
  assert.equal(truncate("hello", 5), "hello");
  assert.equal(truncate("hello", 10), "hello");
  assert.equal(truncate("", 3), "");
});

test("truncate cuts long text to exactly maxLength characters ending in an ellipsis", () => {
  assert.equal(truncate("hello world", 8), "hello w…");
  assert.equal(truncate("hello world", 8).length, 8);
  assert.equal(truncate("hello", 1), "…");
});

test("truncate refuses a maxLength below 1", () => {
  assert.throws(() => truncate("hello", 0), RangeError);
  assert.throws(() => truncate("hello", -3), RangeError);
});
