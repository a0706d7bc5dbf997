#!/usr/bin/env node
// A stand-in for the user's browser in tests and the conformance run, used as $BROWSER: it gets
// the authorization URL as its one argument and follows the redirects with fetch, keeping
// cookies per host like a browser, until a page that is not a redirect (Keyway's callback page).
// Loopback only. Writes the last status and URL to $OAUTH_TEST_BROWSER_LOG when set. With
// $OAUTH_TEST_BROWSER_STOP_AT, it stops at the first redirect to a URL starting with it and
// prints that URL instead of following it (a test then plays the redirect itself).
/* global fetch */
import { appendFileSync } from 'node:fs';

const jar = new Map();
const cookieHeader = (url) =>
  [...(jar.get(url.host) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
const keepCookies = (url, res) => {
  const cookies = jar.get(url.host) ?? new Map();
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  jar.set(url.host, cookies);
};

let url = new URL(process.argv[2] ?? '');
let res;
for (let hop = 0; hop < 20; hop++) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    console.error(`oauth-test-browser: refusing to leave loopback (${url.origin})`);
    process.exit(3);
  }
  res = await fetch(url, { redirect: 'manual', headers: { Cookie: cookieHeader(url) } });
  keepCookies(url, res);
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) break;
  await res.body?.cancel();
  url = new URL(location, url);
  const stopAt = process.env.OAUTH_TEST_BROWSER_STOP_AT;
  if (stopAt && url.href.startsWith(stopAt)) {
    process.stdout.write(`${url.href}\n`);
    process.exit(0);
  }
}
const text = await res.text();
if (process.env.OAUTH_TEST_BROWSER_LOG)
  appendFileSync(process.env.OAUTH_TEST_BROWSER_LOG, `${res.status} ${url.href}\n`);
process.exit(res.status < 400 ? 0 : 1);
void text;
