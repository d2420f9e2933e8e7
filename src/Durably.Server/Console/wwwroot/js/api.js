// The REST API (docs/server.md) and the console's Durably routes (docs/console.md), same origin, relative to the page.

const keyStorage = 'durably.apiKey';

/** An error answered by the server: its X-Amzn-ErrorType and its message, verbatim. */
export class ApiError extends Error {
  constructor(status, type, message) {
    super(message ? `${type}: ${message}` : type);
    this.status = status;
    this.type = type;
    this.serverMessage = message;
  }
}

/** The API key lives in sessionStorage: this tab only, never in a URL. */
export const apiKey = () => sessionStorage.getItem(keyStorage);
export const setApiKey = (key) => (key ? sessionStorage.setItem(keyStorage, key) : sessionStorage.removeItem(keyStorage));

const unauthorizedListeners = new Set();
/** Called with the ApiError of every 401, so the shell can ask for the key again. */
export const onUnauthorized = (listener) => unauthorizedListeners.add(listener);

/** Headers every call carries: the key when there is one, and a marker that the request comes from the console. */
export function authHeaders() {
  const headers = new Headers({ 'X-Durably-Client': 'console' });
  const key = apiKey();
  if (key) headers.set('Authorization', `Bearer ${key}`);
  return headers;
}

/** Sends a request; a body is always JSON. Throws ApiError on a non-2xx answer. */
export async function request(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const all = authHeaders();
  for (const [name, value] of Object.entries(headers)) all.set(name, value);
  if (body !== undefined) all.set('Content-Type', 'application/json');
  let response;
  try {
    response = await fetch(path, { method, headers: all, body, signal, cache: 'no-store', credentials: 'same-origin' });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NetworkError', `The server could not be reached (${error.message}).`);
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

export async function toApiError(response) {
  const type = response.headers.get('X-Amzn-ErrorType') ?? `HTTP ${response.status}`;
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const body = JSON.parse(text);
    message = body.message ?? body.Message ?? text;
  } catch {
    // Not JSON: the text is the message.
  }
  const error = new ApiError(response.status, type, message);
  if (response.status === 401) unauthorizedListeners.forEach((listener) => listener(error));
  return error;
}

const getJson = async (path, options) => (await request(path, options)).json();

/** A query string from the members that have a value; arrays become comma-separated lists. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    search.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

/** `GET durably/console-config`; null when the server predates it (the console then learns about keys from a 401). */
export async function consoleConfig() {
  try {
    return await getJson('durably/console-config');
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

/** Every registered version of every function (ListFunctions, FunctionVersion=ALL), paged to the end. */
export async function listFunctionVersions() {
  const all = [];
  let marker;
  for (let page = 0; page < 100; page++) {
    const answer = await getJson(`2015-03-31/functions/${query({ FunctionVersion: 'ALL', MaxItems: 1000, Marker: marker })}`);
    all.push(...answer.Functions);
    marker = answer.NextMarker;
    if (!marker) break;
  }
  return all;
}

/** `GET durably/functions`: kind, URL and configuration per version; null when the server has no such route. */
export async function functionDetails() {
  try {
    return (await getJson('durably/functions')).Functions;
  } catch (error) {
    if (error.status === 404 || error.status === 405) return null;
    throw error;
  }
}

/** Status counts of a function (and per version); null when the server has no counts route. */
export async function statusCounts(functionName, version) {
  try {
    return await getJson(`durably/functions/${enc(functionName)}/counts${query({ Qualifier: version })}`);
  } catch (error) {
    if (error.status === 404 && error.type !== 'ResourceNotFoundException') return null;
    if (error.status === 405) return null;
    throw error;
  }
}

/** One page of ListDurableExecutionsByFunction, newest first, with what each running execution waits on. */
export function listExecutions(functionName, { statuses, prefix, after, before, version, marker, pageSize = 50 }) {
  return getJson(`2025-12-01/functions/${enc(functionName)}/durable-executions${query({
    Statuses: statuses, DurableExecutionNamePrefix: prefix, StartedAfter: after, StartedBefore: before,
    Qualifier: version, Marker: marker, MaxItems: pageSize, IncludeWaitingOn: true,
  })}`);
}

export const getExecution = (arn) => getJson(`2025-12-01/durable-executions/${enc(arn)}`);

/** History events after the first `after` events (markers are event positions), at most `pages` pages of 1,000. */
export async function historyAfter(arn, after, pages = 50) {
  const events = [];
  let marker = after > 0 ? String(after) : undefined;
  for (let page = 0; page < pages; page++) {
    const answer = await getJson(`2025-12-01/durable-executions/${enc(arn)}/history${query({ Marker: marker, MaxItems: 1000 })}`);
    events.push(...answer.Events);
    marker = answer.NextMarker;
    if (!marker) return { events, complete: true };
  }
  return { events, complete: false };
}

/** StopDurableExecution; the error is optional (the server records a default one). */
export const stopExecution = (arn, error) =>
  getJson(`2025-12-01/durable-executions/${enc(arn)}/stop`, { method: 'POST', body: error ? JSON.stringify(error) : undefined });

/** Sends a callback's result (the raw body is the result; empty = null), failure (an ErrorObject) or heartbeat. */
export const sendCallback = (callbackId, action, body) =>
  request(`2025-12-01/durable-execution-callbacks/${enc(callbackId)}/${action}`, { method: 'POST', body });

/** Starts an execution without waiting for it (an Event invoke); answers its ARN and whether it existed already. */
export async function startExecution(functionName, { input, name, version }) {
  const headers = { 'X-Amz-Invocation-Type': 'Event' };
  if (name) headers['X-Amz-Durable-Execution-Name'] = name;
  const response = await request(`2015-03-31/functions/${enc(functionName)}/invocations${query({ Qualifier: version })}`, {
    method: 'POST', body: input, headers,
  });
  return {
    arn: response.headers.get('X-Amz-Durable-Execution-Arn'),
    alreadyExisted: response.headers.get('X-Durably-Already-Existed') === 'true',
  };
}

/** "order-processor" and "1" from "arn:aws:lambda:…:function:order-processor:1". */
export function parseFunctionArn(functionArn) {
  const match = /:function:([^:]+)(?::([^:]+))?$/.exec(functionArn ?? '');
  return match ? { name: match[1], version: match[2] } : { name: undefined, version: undefined };
}
