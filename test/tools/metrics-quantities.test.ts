import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCpu, formatMemory, parseQuantity } from "../../src/format/quantities.ts";

describe("quantities", () => {
  it("reads decimal, binary and exponent forms", () => {
    assert.equal(parseQuantity("250m"), 0.25);
    assert.equal(parseQuantity("3456789n"), 0.003456789);
    assert.equal(parseQuantity("1500u"), 0.0015);
    assert.equal(parseQuantity("2"), 2);
    assert.equal(parseQuantity("45Mi"), 45 * 2 ** 20);
    assert.equal(parseQuantity("12345Ki"), 12345 * 1024);
    assert.equal(parseQuantity("1.5Gi"), 1.5 * 2 ** 30);
    assert.equal(parseQuantity("1G"), 1e9);
    assert.equal(parseQuantity("1e3"), 1000);
    assert.equal(parseQuantity("lots"), undefined);
    assert.equal(parseQuantity("5Xi"), undefined);
  });

  it("prints CPU as millicores rounded up, like kubectl top", () => {
    assert.equal(formatCpu(0.003456789), "4m");
    assert.equal(formatCpu(0.003), "3m");
    assert.equal(formatCpu(1.25), "1250m");
    assert.equal(formatCpu(0), "0m");
  });

  it("prints memory in MiB, or KiB below one MiB", () => {
    assert.equal(formatMemory(45 * 2 ** 20), "45Mi");
    assert.equal(formatMemory(12345 * 1024), "12Mi");
    assert.equal(formatMemory(300 * 1024), "300Ki");
    assert.equal(formatMemory(0), "0Mi");
  });
});
