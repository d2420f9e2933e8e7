// Small pieces shared by the views: status badges, times, JSON blocks, copy buttons, loading/empty/error states.
import { h } from '../dom.js';
import { formatDateTime, formatDuration, formatRelative, formatTimeOfDay, isoUtc, now, prettyPayload, statusIcon, statusLabels } from '../format.js';

/** A status as icon + word (never colour alone); `data-status` lets tests and styles match it. */
export const statusBadge = (status) =>
  h('span', { class: 'badge', dataset: { status } }, h('span', { 'aria-hidden': 'true' }, statusIcon(status)), ' ', statusLabels[status] ?? status);

/** A local date-time with the zone; UTC ISO and the relative time in the tooltip. */
export function timeText(seconds) {
  if (seconds === undefined || seconds === null) return h('span', { class: 'muted' }, '–');
  return h('time', { datetime: isoUtc(seconds), title: `${isoUtc(seconds)} · ${formatRelative(seconds)}` }, formatDateTime(seconds));
}

/** A duration that ticks every second while `end` is unknown. */
export function durationText(start, end) {
  if (start === undefined) return h('span', { class: 'muted' }, '–');
  if (end !== undefined && end !== null) return h('span', {}, formatDuration(end - start));
  return h('span', { dataset: { tickFrom: start }, class: 'ticking' }, formatDuration(now() - start));
}

export const loading = (text = 'Loading…') => h('p', { class: 'loading', role: 'status', 'aria-busy': 'true' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);

/** An error banner with the server's type and message verbatim, and a retry button. */
export function errorBanner(error, retry) {
  return h('div', { class: 'error-banner', role: 'alert' },
    h('strong', {}, error.type ?? 'Error'), ' ', error.serverMessage ?? error.message,
    retry ? h('button', { type: 'button', onclick: retry }, 'Retry') : null);
}

export const emptyState = (title, ...children) => h('div', { class: 'empty-state' }, h('p', { class: 'empty-title' }, title), ...children);

/** A button that copies `text` to the clipboard and says so. */
export function copyButton(text, label) {
  const button = h('button', {
    type: 'button', class: 'copy', 'aria-label': label, title: label,
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Copy failed';
      }
      setTimeout(() => (button.textContent = 'Copy'), 1500);
    },
  }, 'Copy');
  return button;
}

/** A payload (a string that may hold JSON) as a collapsible, pretty-printed block with a copy button. */
export function jsonBlock(title, payload, { open = true, truncated = false } = {}) {
  const text = prettyPayload(payload);
  return h('details', { class: 'json-block', open },
    h('summary', {}, title, truncated ? h('span', { class: 'muted' }, ' (truncated by the server)') : null),
    text === '' ? h('p', { class: 'muted' }, 'null') : [
      copyButton(text, `Copy ${title.toLowerCase()}`),
      // Past ~100 KB the text is shown as it is; the browser lays out a plain <pre> quickly.
      h('pre', { class: 'json', tabindex: '0' }, text),
    ]);
}

/** "Waiting on" of a running execution (the IncludeWaitingOn list extension) in words. */
export function waitingOnText(items) {
  if (!items?.length) return '';
  return items.map((item) => {
    const name = item.Name ?? item.OperationId;
    const until = item.Until !== undefined ? ` ${formatTimeOfDay(item.Until)}` : '';
    switch (item.Type) {
      case 'WAIT': return `wait ${name} until${until}`;
      case 'CALLBACK': return `callback ${name}${until ? ` (times out${until})` : ''}`;
      case 'RETRY': return `retry #${item.Attempt ?? '?'} of ${name}${until ? ` at${until}` : ''}`;
      case 'CHAINED_INVOKE': return `invoke ${name}`;
      default: return `${item.Type} ${name}`;
    }
  }).join('; ');
}
