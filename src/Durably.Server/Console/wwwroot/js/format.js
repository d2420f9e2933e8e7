// Every time conversion of the console. The API speaks epoch SECONDS (JSON numbers); the browser Date speaks milliseconds.

/** The current time in epoch seconds: the one clock of the console (tests can freeze it with Playwright's Page.Clock). */
export const now = () => Date.now() / 1000;

// Times are shown in the browser's time zone, or in UTC: a switch remembered in localStorage (a preference, no secret).
const zoneStorage = 'durably.timeZone';

/** 'Local' (the browser's time zone) or 'UTC'. */
export const timeZoneMode = () => (localStorage.getItem(zoneStorage) === 'UTC' ? 'UTC' : 'Local');

function formattersFor(mode) {
  const zone = mode === 'UTC' ? { timeZone: 'UTC' } : {};
  return {
    dateTime: new Intl.DateTimeFormat(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short', ...zone,
    }),
    timeOfDay: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', ...zone }),
  };
}

let formatters = formattersFor(timeZoneMode());

export function setTimeZoneMode(mode) {
  localStorage.setItem(zoneStorage, mode);
  formatters = formattersFor(mode);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "Dec 7, 2026, 14:02:11 CET" in the chosen time zone (named). */
export const formatDateTime = (seconds) => formatters.dateTime.format(seconds * 1000);

/** "14:02:11" in the chosen time zone. */
export const formatTimeOfDay = (seconds) => formatters.timeOfDay.format(seconds * 1000);

/** ISO-8601 UTC with milliseconds, for tooltips. */
export const isoUtc = (seconds) => new Date(seconds * 1000).toISOString();

/** "3 minutes ago", "in 2 hours". */
export function formatRelative(seconds) {
  const delta = seconds - now();
  const magnitude = Math.abs(delta);
  if (magnitude < 45) return relative.format(Math.round(delta), 'second');
  if (magnitude < 2700) return relative.format(Math.round(delta / 60), 'minute');
  if (magnitude < 79200) return relative.format(Math.round(delta / 3600), 'hour');
  return relative.format(Math.round(delta / 86400), 'day');
}

const pad = (value) => String(Math.floor(value)).padStart(2, '0');

/** Compact durations: "120 ms", "4.2 s", "1 m 04 s", "2 h 05 m", "3 d 04 h". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${pad(seconds % 60)} s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${pad((seconds % 3600) / 60)} m`;
  return `${Math.floor(seconds / 86400)} d ${pad((seconds % 86400) / 3600)} h`;
}

/** A `datetime-local` input's value (local time) as epoch seconds, or undefined when empty. */
export function fromLocalInput(value) {
  if (!value) return undefined;
  const milliseconds = new Date(value).getTime();
  return Number.isNaN(milliseconds) ? undefined : milliseconds / 1000;
}

/** Epoch seconds as a `datetime-local` input's value (local time). */
export function toLocalInput(seconds) {
  const date = new Date(seconds * 1000);
  const offset = date.getTimezoneOffset() * 60000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}

/** Payloads are strings that may hold JSON: pretty-printed when they parse, else as they are. */
export function prettyPayload(payload) {
  if (payload === undefined || payload === null) return '';
  if (typeof payload !== 'string') return JSON.stringify(payload, null, 2);
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** An ErrorObject as one line: "ErrorType: message". */
export function formatError(error) {
  if (!error) return '';
  const type = error.ErrorType ?? 'Error';
  return error.ErrorMessage ? `${type}: ${error.ErrorMessage}` : type;
}

/** The words shown for each status (icon + word, never colour alone). */
export const statusLabels = {
  RUNNING: 'Running', SUCCEEDED: 'Succeeded', FAILED: 'Failed', TIMED_OUT: 'Timed out', STOPPED: 'Stopped',
  STARTED: 'Running', PENDING: 'Retry scheduled', CANCELLED: 'Cancelled', UNFINISHED: 'Not finished',
};

const statusIcons = {
  RUNNING: '◔', STARTED: '◔', SUCCEEDED: '✓', FAILED: '✕', TIMED_OUT: '◷', STOPPED: '■', PENDING: '↻', CANCELLED: '⊘', UNFINISHED: '…',
};

export const statusIcon = (status) => statusIcons[status] ?? '•';
