// The console's only way to the bank: the public REST API (docs/admin-console.md). The access token lives in memory,
// the refresh token in sessionStorage (gone with the tab); no cookies, so there is nothing for a cross-site request to
// ride on. A 401 refreshes once and retries; errors carry the problem+json detail the bank wrote.
import * as passkey from './passkey.js';

const REFRESH_KEY = 'mpc-console.refresh';
let access = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `The bank answered ${status}.`);
    this.status = status;
    this.problem = problem || {};
  }

  get stepUpRequired() {
    return this.status === 403 && String(this.problem.type || '').endsWith('/step-up-required');
  }
}

export function whenSignedOut(f) {
  onSignedOut = f;
}

export function hasSession() {
  return !!access || !!sessionStorage.getItem(REFRESH_KEY);
}

export function adopt(tokens) {
  access = tokens.access_token;
  sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
}

async function send(method, path, body, headers) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (access) h.Authorization = `Bearer ${access}`;
  return fetch(path, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store', redirect: 'error',
  });
}

async function read(r) {
  const text = await r.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: `The bank answered ${r.status} with something that is not JSON.` };
  }
}

export async function refresh() {
  const token = sessionStorage.getItem(REFRESH_KEY);
  if (!token) return false;
  const r = await fetch('/v1/auth/refresh', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ refreshToken: token }), credentials: 'omit', cache: 'no-store',
  });
  if (!r.ok) {
    forget();
    return false;
  }
  adopt(await r.json());
  return true;
}

function forget() {
  access = null;
  tagged.clear();
  sessionStorage.removeItem(REFRESH_KEY);
}

/**
 * Sends once, and once more after a refresh if the access token had expired; a session that cannot be refreshed ends
 * here (the page goes back to the sign-in). The response, any other status included.
 */
async function exchange(method, path, body, headers) {
  let r = await send(method, path, body, headers);
  if (r.status === 401 && (await refresh())) {
    r = await send(method, path, body, headers);
  }
  if (r.status === 401) {
    forget();
    onSignedOut('Your session has ended; sign in again.');
    throw new ApiError(401, await read(r));
  }
  return r;
}

/** A call to the API; the parsed JSON answer (null for 204), or an ApiError. */
export async function call(method, path, body, headers = {}) {
  const r = await exchange(method, path, body, headers);
  const answer = await read(r);
  if (!r.ok) throw new ApiError(r.status, answer);
  return answer;
}

export const get = (path) => call('GET', path);

const tagged = new Map(); // path -> { etag, answer }: the last answer of a polled path
const POLLED_PATHS = 32;

/**
 * A GET for a path polled again and again: sends the last answer's ETag, and on 304 gives that answer back.
 * Resolves to { answer, changed }.
 */
export async function poll(path) {
  const last = tagged.get(path);
  const r = await exchange('GET', path, undefined, last ? { 'If-None-Match': last.etag } : {});
  if (r.status === 304 && last) return { answer: last.answer, changed: false };
  const answer = await read(r);
  if (!r.ok) throw new ApiError(r.status, answer);
  const etag = r.headers.get('ETag');
  tagged.delete(path); // re-inserted last: the map keeps the most recently polled paths at its end
  if (etag) tagged.set(path, { etag, answer });
  while (tagged.size > POLLED_PATHS) tagged.delete(tagged.keys().next().value); // pages of cursors gone by
  return { answer, changed: true };
}
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);

/** Anonymous calls of the sign-in (no token sent, no refresh). */
export async function anonymous(path, body) {
  const r = await fetch(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body), credentials: 'omit', cache: 'no-store',
  });
  const answer = await read(r);
  if (!r.ok) throw new ApiError(r.status, answer);
  return answer;
}

/** A fresh passkey assertion for one action: the step-up token for header Step-Up. */
export async function stepUp() {
  const begun = await post('/v1/auth/step-up/options');
  const credential = await passkey.get(begun.options);
  const done = await post('/v1/auth/step-up', { challengeToken: begun.challengeToken, credential });
  return done.stepUpToken;
}

/** An action that needs step-up: confirms with the passkey first, then calls with the token. */
export async function withStepUp(method, path, body) {
  const token = await stepUp();
  return call(method, path, body, { 'Step-Up': token });
}

export async function signOut() {
  const token = sessionStorage.getItem(REFRESH_KEY);
  forget();
  if (token) {
    await fetch('/v1/auth/logout', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: token }),
      credentials: 'omit',
    }).catch(() => {});
  }
}
