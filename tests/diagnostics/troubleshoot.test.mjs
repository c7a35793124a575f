// static/js/troubleshoot.js: the live filter agrees with the server-side ?q= rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { filterRows, matches } from "../../static/js/troubleshoot.js";

const row = (search) => ({ dataset: { search }, hidden: false });

test("an empty query matches everything", () => {
  assert.equal(matches("10091 jti_already_used", "  "), true);
});

test("case-insensitive substring of the row text", () => {
  assert.equal(matches("10091 jti_already_used", "JTI"), true);
  assert.equal(matches("10091 jti_already_used", "10092"), false);
});

test("filterRows hides the others and counts the shown", () => {
  const rows = [row("5 system_user_not_found"), row("10091 jti_already_used"), row("10094 missing_required_jti")];
  assert.equal(filterRows(rows, "jti"), 2);
  assert.deepEqual(rows.map((r) => r.hidden), [true, false, false]);
  assert.equal(filterRows(rows, ""), 3);
  assert.deepEqual(rows.map((r) => r.hidden), [false, false, false]);
});
