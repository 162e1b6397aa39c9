"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { slugify } = require("../src/text");

test("slugify lower-cases and joins words with hyphens", () => {
  assert.equal(slugify("Hello World"), "hello-world");
});

test("slugify removes accents", () => {
  assert.equal(slugify("Crème Brûlée: 2 recipes!"), "creme-brulee-2-recipes");
  assert.equal(slugify("Über café"), "uber-cafe");
});

test("slugify collapses every run of other characters into one hyphen", () => {
  assert.equal(slugify("a -- b__c...d"), "a-b-c-d");
});

test("slugify never starts or ends with a hyphen", () => {
  assert.equal(slugify("  ¡Hola, mundo!  "), "hola-mundo");
  assert.equal(slugify("!!!"), "");
});
