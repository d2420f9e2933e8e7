// One execution: the header and actions first (a huge history never blocks Stop), then the timeline or the history
// table, and the selected operation's details. Live: a change of this execution fetches the header and only the
// history events after those already held.
import { getExecution, historyAfter, parseFunctionArn } from '../api.js';
import { announce, h, replace, throttle } from '../dom.js';
import { formatDuration, formatError, formatTimeOfDay, isoUtc, now, statusLabels } from '../format.js';
import { openCallbackDialog, openStopDialog, sendHeartbeat } from '../dialogs.js';
import { buildModel, closeOpenOperations, detailsOf, errorOf, payloadOf } from '../timeline-model.js';
import { copyButton, durationText, errorBanner, jsonBlock, loading, statusBadge, timeText } from './common.js';
import { renderTimeline } from './timeline.js';

const historyPageRows = 500;

export function renderDetail({ main, query, live, arn }) {
  const state = {
    execution: undefined, events: [], complete: true, model: undefined,
    collapsed: new Set(), selected: query.get('op') ?? undefined, tab: query.get('tab') === 'history' ? 'history' : 'timeline',
    historyType: '', historyRows: historyPageRows, heartbeat: new Map(), collapseIdle: true,
  };
  let disposed = false;

  const header = h('div', { class: 'detail-header' }, loading());
  const notices = h('div', { class: 'notices' });
  const payloads = h('div', { class: 'payloads' });
  const body = h('div', { class: 'detail-body' });
  replace(main, h('section', { class: 'page detail-page' }, header, notices, payloads, body));

  const setUrl = () => {
    const search = new URLSearchParams();
    if (state.selected) search.set('op', state.selected);
    if (state.tab === 'history') search.set('tab', 'history');
    const text = search.toString();
    history.replaceState(null, '', `#/x/${encodeURIComponent(arn)}${text ? `?${text}` : ''}`);
  };

  /**
   * Loads and updates run one at a time, so that events are never appended twice; a change that arrives meanwhile
   * runs one more update after.
   */
  let busy = false;
  let pending = false;
  async function exclusive(work) {
    if (busy) {
      pending = true;
      return;
    }
    busy = true;
    try {
      await work();
    } finally {
      busy = false;
    }
    if (pending && !disposed) {
      pending = false;
      exclusive(update);
    }
  }

  async function load() {
    try {
      state.execution = await getExecution(arn);
      if (disposed) return;
      renderHeader();
      replace(body, loading('Loading the history…'));
      const { events, complete } = await historyAfter(arn, 0);
      if (disposed) return;
      state.events = events;
      state.complete = complete;
      renderBody();
    } catch (error) {
      if (disposed) return;
      state.execution = undefined;
      replace(body, errorBanner(error, () => exclusive(load)));
      replace(header, h('h1', {}, 'Execution'), h('p', { class: 'muted wrap' }, arn));
    }
  }

  /** Fetches the header and only the events after those held. */
  async function update() {
    if (!state.execution) return load();
    try {
      const before = state.execution.Status;
      state.execution = await getExecution(arn);
      const { events, complete } = await historyAfter(arn, state.events.length);
      if (disposed) return;
      state.events.push(...events);
      state.complete = complete;
      if (before !== state.execution.Status) announce(`Execution ${statusLabels[state.execution.Status]}`);
      renderBody();
    } catch (error) {
      if (!disposed) replace(notices, errorBanner(error, scheduleUpdate));
    }
  }
  const scheduleUpdate = throttle(() => exclusive(update), 150);

  function renderHeader() {
    const execution = state.execution;
    const { name: functionName, version } = parseFunctionArn(execution.FunctionArn);
    const invocations = state.events.filter((event) => event.EventType === 'InvocationCompleted').length;
    const actions = execution.Status === 'RUNNING'
      ? h('button', { type: 'button', class: 'danger', onclick: () => openStopDialog({ arn, name: execution.DurableExecutionName, onDone: scheduleUpdate }) }, 'Stop execution')
      : null;
    replace(header,
      h('div', { class: 'title-row' },
        h('h1', {}, execution.DurableExecutionName),
        h('span', { dataset: { testid: 'execution-status', status: execution.Status } }, statusBadge(execution.Status)),
        h('div', { class: 'actions' }, actions)),
      h('dl', { class: 'facts' },
        fact('ARN', h('span', { class: 'arn' }, h('code', { class: 'wrap' }, arn), ' ', copyButton(arn, 'Copy ARN'))),
        fact('Function', h('a', { href: `#/f/${encodeURIComponent(functionName)}?version=${encodeURIComponent(execution.Version ?? version ?? '')}` }, `${functionName}:${execution.Version ?? version}`)),
        fact('Started', timeText(execution.StartTimestamp)),
        fact('Ended', timeText(execution.EndTimestamp)),
        fact('Duration', durationText(execution.StartTimestamp, execution.EndTimestamp)),
        fact('Invocations', String(invocations))));
    // When it failed, the error comes first.
    const error = execution.Error;
    replace(notices, error ? h('div', { class: 'error-summary', role: 'note', dataset: { testid: 'execution-error' } },
      h('strong', {}, error.ErrorType ?? 'Error'), error.ErrorMessage ? ` ${error.ErrorMessage}` : '') : null,
    pendingCallbacks());
    replace(payloads,
      jsonBlock('Input', execution.InputPayload, { open: execution.Status === 'RUNNING' }),
      execution.Status === 'SUCCEEDED' ? jsonBlock('Result', execution.Result) : null,
      error ? jsonBlock('Error', JSON.stringify(error)) : null);
  }

  function fact(term, value) {
    return h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, value));
  }

  /** A callout for every callback the running execution waits on, with its actions. */
  function pendingCallbacks() {
    if (!state.model || state.execution.Status !== 'RUNNING') return null;
    const pending = [...state.model.operations.values()].filter((node) => node.type === 'CALLBACK' && node.end === undefined && node.callbackId);
    return pending.map((node) => h('div', { class: 'callout', dataset: { testid: 'pending-callback', opId: node.id } },
      h('p', {}, h('strong', {}, `Waiting for callback ${node.name ?? node.id}`),
        node.timeoutSeconds ? ` · times out at ${formatTimeOfDay(node.start + node.timeoutSeconds)}` : ''),
      callbackActions(node)));
  }

  function callbackActions(node) {
    const status = h('span', { class: 'muted', role: 'status' }, state.heartbeat.get(node.callbackId) ?? '');
    const open = (tab) => openCallbackDialog({ callbackId: node.callbackId, name: node.name, tab, onDone: (message) => { announce(message); scheduleUpdate(); } });
    return h('div', { class: 'callback-actions' },
      h('button', { type: 'button', class: 'primary', onclick: () => open('success') }, 'Send success'),
      h('button', { type: 'button', onclick: () => open('failure') }, 'Send failure'),
      h('button', {
        type: 'button', onclick: async () => {
          const problem = await sendHeartbeat(node.callbackId);
          const message = problem ?? `Heartbeat sent at ${formatTimeOfDay(now())}.`;
          state.heartbeat.set(node.callbackId, message);
          // A live update may have re-rendered the callout while the request was in flight: write to the one shown now.
          const shown = main.querySelector(`[data-testid=pending-callback][data-op-id="${CSS.escape(node.id)}"] [role=status]`);
          (shown ?? status).textContent = message;
        },
      }, 'Heartbeat'),
      status);
  }

  const axis = () => ({ start: state.execution.StartTimestamp, end: state.execution.EndTimestamp ?? now() });

  function renderBody() {
    state.model = buildModel(state.events);
    if (state.execution.EndTimestamp !== undefined) closeOpenOperations(state.model, state.execution.EndTimestamp);
    keepingFocus(main, () => {
      renderHeader();
      renderViews();
    });
  }

  /** The timeline or history and the operation panel. */
  function renderViews() {
    keepingFocus(body, drawViews);
  }

  function drawViews() {
    const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views of the execution' },
      [['timeline', 'Timeline'], ['history', `History (${state.events.length}${state.complete ? '' : '+'})`]].map(([key, label]) => h('button', {
        type: 'button', role: 'tab', 'aria-selected': String(state.tab === key), id: `tab-${key}`,
        onclick: () => { state.tab = key; setUrl(); renderBody(); },
      }, label)));
    const panel = state.tab === 'timeline'
      ? renderTimeline(state.model, axis(), {
        collapsed: state.collapsed, selected: state.selected,
        onSelect: (id) => { state.selected = id; setUrl(); renderBody(); },
        onToggle: (id) => { state.collapsed.has(id) ? state.collapsed.delete(id) : state.collapsed.add(id); renderBody(); },
        collapseIdle: state.collapseIdle,
        onCollapseIdle: (on) => { state.collapseIdle = on; renderViews(); },
      })
      : historyTable();
    const selected = state.selected ? state.model.operations.get(state.selected) : undefined;
    replace(body, tabs, h('div', { class: `split${selected ? ' with-panel' : ''}` },
      h('div', { role: 'tabpanel', 'aria-labelledby': `tab-${state.tab}`, class: 'tab-content' }, panel),
      selected ? operationPanel(selected) : null));
  }

  function operationPanel(node) {
    const end = node.end;
    const close = () => { state.selected = undefined; setUrl(); renderBody(); };
    return h('aside', { class: 'op-panel', 'aria-label': `Operation ${node.name ?? node.id}`, dataset: { testid: 'operation-panel' } },
      h('div', { class: 'panel-title' }, h('h2', {}, node.name ?? node.id), h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close the operation details', onclick: close }, '✕')),
      h('dl', { class: 'facts compact' },
        fact('Type', `${node.type}${node.subType ? ` · ${node.subType}` : ''}`),
        fact('Status', statusBadge(node.status)),
        fact('Id', h('code', { class: 'wrap' }, node.id)),
        node.parentId ? fact('Parent', h('code', { class: 'wrap' }, node.parentId)) : null,
        fact('Started', timeText(node.start)),
        fact('Ended', timeText(end)),
        fact('Duration', end !== undefined ? formatDuration(end - node.start) : durationText(node.start)),
        node.nextAttemptAt ? fact('Next attempt', timeText(node.nextAttemptAt)) : null,
        node.scheduledEnd !== undefined ? fact('Scheduled end', timeText(node.scheduledEnd)) : null,
        node.callbackId ? fact('Callback id', h('span', {}, h('code', { class: 'wrap' }, node.callbackId), ' ', copyButton(node.callbackId, 'Copy callback id'))) : null,
        node.timeoutSeconds ? fact('Timeout', formatDuration(node.timeoutSeconds)) : null,
        node.heartbeatTimeoutSeconds ? fact('Heartbeat timeout', formatDuration(node.heartbeatTimeoutSeconds)) : null,
        node.targetFunction ? fact('Invoked function', node.targetFunction) : null,
        node.childArn ? fact('Invoked execution', h('a', { href: `#/x/${encodeURIComponent(node.childArn)}` }, node.childArn)) : null),
      node.type === 'CALLBACK' && node.end === undefined && node.callbackId && state.execution.Status === 'RUNNING' ? callbackActions(node) : null,
      node.attempts.length ? attemptsTable(node) : null,
      node.result !== undefined ? jsonBlock('Result', node.result) : null,
      node.error ? h('div', { class: 'error-summary' }, formatError(node.error)) : null,
      node.error ? jsonBlock('Error', JSON.stringify(node.error), { open: false }) : null);
  }

  function attemptsTable(node) {
    return h('table', { class: 'attempts' },
      h('caption', {}, 'Attempts'),
      h('thead', {}, h('tr', {}, ['#', 'Started', 'Took', 'Outcome'].map((title) => h('th', { scope: 'col' }, title)))),
      node.attempts.map((attempt) => h('tbody', { dataset: { testid: 'attempt-row', status: attempt.status } },
        h('tr', {},
          h('td', {}, String(attempt.number)),
          h('td', {}, h('time', { datetime: isoUtc(attempt.start), title: isoUtc(attempt.start) }, formatTimeOfDay(attempt.start))),
          h('td', { class: 'numeric' }, attempt.end !== undefined ? formatDuration(attempt.end - attempt.start) : durationText(attempt.start)),
          h('td', {}, statusBadge(attempt.status),
            attempt.retryDelay !== undefined ? h('div', { class: 'muted' }, `retried after ${formatDuration(attempt.retryDelay)}`) : null)),
        attempt.error ? h('tr', { class: 'attempt-error' }, h('td', {}), h('td', { colspan: 3, class: 'error-text' }, formatError(attempt.error))) : null)));
  }

  function historyTable() {
    const types = [...new Set(state.events.map((event) => event.EventType))].sort();
    const shown = state.events.filter((event) => !state.historyType || event.EventType === state.historyType);
    const select = h('select', {
      id: 'history-type', onchange: (event) => { state.historyType = event.target.value; state.historyRows = historyPageRows; renderBody(); },
    }, h('option', { value: '' }, 'All event types'), types.map((type) => h('option', { value: type, selected: type === state.historyType }, type)));
    return h('div', { class: 'history' },
      h('div', { class: 'field inline' }, h('label', { for: 'history-type' }, 'Event type'), select),
      h('div', { class: 'table-wrap' }, h('table', { class: 'history-table' },
        h('caption', { class: 'visually-hidden' }, 'History events'),
        h('thead', {}, h('tr', {}, ['Event', 'Time', 'Type', 'Operation', 'Details'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, shown.slice(0, state.historyRows).map((event) => h('tr', { dataset: { eventId: event.EventId } },
          h('td', { class: 'numeric' }, String(event.EventId)),
          h('td', {}, timeText(event.EventTimestamp)),
          h('td', {}, event.EventType),
          h('td', {}, event.Id && state.model.operations.has(event.Id)
            ? h('button', { type: 'button', class: 'link-button', onclick: () => { state.selected = event.Id; state.tab = 'timeline'; setUrl(); renderBody(); } }, event.Name ?? event.Id)
            : event.Name ?? ''),
          h('td', { class: 'event-details' }, eventSummary(event))))))),
      shown.length > state.historyRows
        ? h('button', { type: 'button', onclick: () => { state.historyRows += historyPageRows; renderBody(); } }, `Show ${Math.min(historyPageRows, shown.length - state.historyRows)} more`)
        : null,
      state.complete ? null : h('p', { class: 'muted' }, 'Only the first 50,000 events are loaded.'));
  }

  const onExecution = (event) => {
    if (event.detail.DurableExecutionArn !== arn) return;
    if (event.detail.HistoryEventCount > state.events.length || event.detail.Status !== state.execution?.Status) scheduleUpdate();
  };
  const onRefresh = () => scheduleUpdate();
  // Running operations grow to "now": redraw the timeline every second while the execution runs.
  const ticker = setInterval(() => {
    if (state.execution?.Status === 'RUNNING' && state.tab === 'timeline' && state.model && !document.querySelector('dialog[open]')) renderViews();
  }, 1000);
  const onKey = (event) => {
    if (event.key === 'Escape' && state.selected && !document.querySelector('dialog[open]')) {
      state.selected = undefined;
      setUrl();
      renderBody();
    }
  };
  document.addEventListener('keydown', onKey);
  live.addEventListener('execution', onExecution);
  live.addEventListener('refresh', onRefresh);
  exclusive(load);
  return () => {
    disposed = true;
    clearInterval(ticker);
    document.removeEventListener('keydown', onKey);
    live.removeEventListener('execution', onExecution);
    live.removeEventListener('refresh', onRefresh);
  };
}

/** What identifies a control across redraws: its kind, its operation and its text. */
const focusKey = (element) => `${element.tagName}|${element.className}|${element.dataset.opId ?? ''}|${element.textContent}`;

/** Redraws `container` with `draw`, keeping the keyboard focus on the same control (live updates redraw often). */
function keepingFocus(container, draw) {
  const focused = container.contains(document.activeElement) && document.activeElement !== container ? focusKey(document.activeElement) : null;
  draw();
  if (focused) [...container.querySelectorAll('button, a, select, input, [tabindex]')].find((element) => focusKey(element) === focused)?.focus();
}

/** One line of what an event says: its error, result, timing or ids. User data goes in as text only. */
function eventSummary(event) {
  const details = detailsOf(event);
  const parts = [];
  const error = errorOf(details);
  if (error) parts.push(formatError(error));
  const payload = payloadOf(details.Result) ?? payloadOf(details.Input);
  if (payload !== undefined) parts.push(payload.length > 160 ? `${payload.slice(0, 160)}…` : payload);
  if (details.RetryDetails) {
    const retry = details.RetryDetails;
    parts.push(`attempt ${retry.CurrentAttempt}${retry.NextAttemptDelaySeconds !== undefined ? `, next in ${formatDuration(retry.NextAttemptDelaySeconds)}` : ''}`);
  }
  if (details.ScheduledEndTimestamp !== undefined) parts.push(`until ${formatTimeOfDay(details.ScheduledEndTimestamp)}`);
  if (details.CallbackId) parts.push(`callback ${details.CallbackId}`);
  if (details.Timeout) parts.push(`timeout ${formatDuration(details.Timeout)}`);
  if (details.DurableExecutionArn) parts.push(details.DurableExecutionArn);
  if (event.EventType === 'InvocationCompleted') parts.push(`${formatDuration(details.EndTimestamp - details.StartTimestamp)}${details.RequestId ? ` · request ${details.RequestId}` : ''}`);
  return parts.join(' · ');
}
