// The dashboard's JSON API: GETs, and POSTs with the session's CSRF token.

let csrf = '';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function parse(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body && body.error ? body.error : 'HTTP ' + response.status);
  }
  return body;
}

/** Reads the session: its CSRF token, the projects, the default project. */
export async function session() {
  const s = await parse(await fetch('api/session', {credentials: 'same-origin', headers: {Accept: 'application/json'}}));
  csrf = s.csrf;
  return s;
}

export async function get(path) {
  return (await read(path)).body;
}

/**
 * Reads a view and the store's event sequence it reflects (the X-Orchestrator-Sequence header): the view shows every
 * event up to that sequence, maybe some later ones.
 */
export async function read(path) {
  const response = await fetch(path, {credentials: 'same-origin', headers: {Accept: 'application/json'}});
  const body = await parse(response);
  const sequence = Number(response.headers.get('X-Orchestrator-Sequence') || 0);
  return {body, sequence};
}

export async function post(path, body) {
  return parse(await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf},
    body: JSON.stringify(body || {}),
  }));
}

/** A path segment, encoded. */
export function seg(text) {
  return encodeURIComponent(text);
}
