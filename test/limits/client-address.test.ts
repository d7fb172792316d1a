// Which address a request is charged to: pure functions, one table each.
import { describe, expect, test } from "bun:test";
import { addressKey, clientAddress, isLimitedPath, UNKNOWN_ADDRESS } from "../../src/limits/address-limits";

const withForwardedFor = (value?: string) =>
  new Request("http://hilo.test/v1/me", value === undefined ? {} : { headers: { "X-Forwarded-For": value } });

describe("clientAddress", () => {
  const cases: [string, string | undefined, string | null, number, string][] = [
    ["no proxies: the socket, header ignored", "203.0.113.1", "10.0.0.9", 0, "10.0.0.9"],
    ["no proxies and no socket: the unknown bucket", "203.0.113.1", null, 0, UNKNOWN_ADDRESS],
    ["one hop: the rightmost entry", "198.51.100.1, 203.0.113.1", "10.0.0.9", 1, "203.0.113.1"],
    ["one hop, no spaces", "198.51.100.1,203.0.113.1", "10.0.0.9", 1, "203.0.113.1"],
    ["two hops: second from the right", "198.51.100.1, 203.0.113.1, 10.2.2.2", "10.0.0.9", 2, "203.0.113.1"],
    ["fewer entries than hops: the leftmost", "203.0.113.1", "10.0.0.9", 2, "203.0.113.1"],
    ["hops configured, header missing: the socket", undefined, "10.0.0.9", 1, "10.0.0.9"],
    ["hops configured, header empty: the socket", " , ", "10.0.0.9", 1, "10.0.0.9"],
    ["the picked entry is not an address: the socket", "203.0.113.1, not-an-ip", "10.0.0.9", 1, "10.0.0.9"],
    ["an entry with a port is not an address", "203.0.113.1:443", "10.0.0.9", 1, "10.0.0.9"],
    ["IPv6 entries", "2001:db8::1, 2001:db8::2", "::1", 1, "2001:db8::2"],
  ];
  test.each(cases)("%s", (_name, header, socket, hops, expected) => {
    expect(clientAddress(withForwardedFor(header), socket, hops)).toBe(expected);
  });
});

describe("addressKey", () => {
  const cases: [string, string][] = [
    ["203.0.113.1", "203.0.113.1"],
    ["::ffff:203.0.113.1", "203.0.113.1"],
    ["::FFFF:cb00:7101", "203.0.113.1"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["64:ff9b::203.0.113.1", "64:ff9b:0:0::/64"],
    [UNKNOWN_ADDRESS, UNKNOWN_ADDRESS],
  ];
  test.each(cases)("%s counts as %s", (address, expected) => {
    expect(addressKey(address)).toBe(expected);
  });
});

describe("isLimitedPath", () => {
  const cases: [string, boolean][] = [
    ["/v1/me", true],
    ["/v1/sessions/abc/messages", true],
    ["/v1", true],
    ["/health", false],
    ["/openapi.json", false],
    ["/v10/me", false],
  ];
  test.each(cases)("%s: %p", (path, limited) => {
    expect(isLimitedPath(path)).toBe(limited);
  });
});
