// The executions of one function: status chips with counts, name prefix, start range, version; newest first, paged by
// marker; live through the stream (the first page reloads on a change of this function, later pages patch their rows).
import { listExecutions, parseFunctionArn, statusCounts } from '../api.js';
import { announce, h, replace, throttle } from '../dom.js';
import { fromLocalInput, now, statusIcon, statusLabels, toLocalInput } from '../format.js';
import { openStartDialog } from '../dialogs.js';
import { durationText, emptyState, errorBanner, statusBadge, timeText, waitingOnText } from './common.js';

const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'];
const presets = { '1h': 3600, '24h': 86400, '7d': 604800 };

/** The filters as they are in the URL: `#/f/<name>?status=RUNNING,FAILED&prefix=o-&since=24h&version=1`. */
function readFilters(query) {
  return {
    statuses: (query.get('status') ?? '').split(',').filter((status) => statuses.includes(status)),
    prefix: query.get('prefix') ?? '',
    since: query.get('since') ?? '',
    after: query.get('after') ?? '',
    before: query.get('before') ?? '',
    version: query.get('version') ?? '',
  };
}

function filtersToHash(functionName, filters) {
  const search = new URLSearchParams();
  if (filters.statuses.length) search.set('status', filters.statuses.join(','));
  for (const name of ['prefix', 'since', 'after', 'before', 'version']) {
    if (filters[name]) search.set(name, filters[name]);
  }
  const text = search.toString();
  return `#/f/${encodeURIComponent(functionName)}${text ? `?${text}` : ''}`;
}

const hasFilters = (filters) => filters.statuses.length > 0 || filters.prefix || filters.since || filters.version;

export function renderList({ main, query, app, live, functionName }) {
  const filters = readFilters(query);
  const versions = app.functions.find((f) => f.name === functionName)?.versions ?? [];
  const markers = [undefined]; // the marker of each page shown so far; the last is the current page's
  let nextMarker;
  let requestNumber = 0;

  const clear = () => {
    location.hash = filtersToHash(functionName, { statuses: [], prefix: '', since: '', after: '', before: '', version: '' });
  };
  const clearButton = h('button', { type: 'button', class: 'link-button', onclick: clear, hidden: !hasFilters(filters) }, 'Clear filters');
  const counts = new Map(statuses.map((status) => [status, h('span', { class: 'count', hidden: true })]));
  const tbody = h('tbody');
  const stateArea = h('div', { class: 'list-state' });
  const newBanner = h('div', { class: 'info-banner', role: 'status', hidden: true },
    'New executions have started. ', h('button', { type: 'button', onclick: () => firstPage() }, 'Show newest'));
  const pageLabel = h('span', { class: 'muted' });
  const newer = h('button', { type: 'button', onclick: () => { markers.pop(); load(); } }, '← Newer');
  const older = h('button', { type: 'button', onclick: () => { markers.push(nextMarker); load(); } }, 'Older →');

  /** Applies changed filters at once: the URL is the state (Back works, links can be shared). */
  const apply = () => {
    history.replaceState(null, '', filtersToHash(functionName, filters));
    clearButton.hidden = !hasFilters(filters);
    firstPage();
  };

  const statusChips = h('fieldset', { class: 'status-chips' }, h('legend', {}, 'Status'),
    statuses.map((status) => h('label', { class: 'chip', dataset: { status } },
      h('input', {
        type: 'checkbox', checked: filters.statuses.includes(status), onchange: (event) => {
          filters.statuses = event.target.checked ? [...filters.statuses, status] : filters.statuses.filter((s) => s !== status);
          apply();
        },
      }),
      h('span', { 'aria-hidden': 'true' }, statusIcon(status)), ` ${statusLabels[status]} `, counts.get(status))));

  let prefixTimer;
  const prefixInput = h('input', {
    id: 'filter-prefix', type: 'search', value: filters.prefix, autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. order-',
    oninput: (event) => {
      clearTimeout(prefixTimer);
      prefixTimer = setTimeout(() => {
        filters.prefix = event.target.value.trim();
        apply();
      }, 250);
    },
  });
  const afterInput = h('input', { id: 'filter-after', type: 'datetime-local', value: filters.after ? toLocalInput(Number(filters.after)) : '', onchange: (event) => { filters.after = String(fromLocalInput(event.target.value) ?? ''); apply(); } });
  const beforeInput = h('input', { id: 'filter-before', type: 'datetime-local', value: filters.before ? toLocalInput(Number(filters.before)) : '', onchange: (event) => { filters.before = String(fromLocalInput(event.target.value) ?? ''); apply(); } });
  const customRange = h('div', { class: 'custom-range', hidden: filters.since !== 'custom' },
    h('div', { class: 'field' }, h('label', { for: 'filter-after' }, 'Started after'), afterInput),
    h('div', { class: 'field' }, h('label', { for: 'filter-before' }, 'Started before'), beforeInput));
  const sinceSelect = h('select', {
    id: 'filter-since', onchange: (event) => {
      filters.since = event.target.value;
      customRange.hidden = filters.since !== 'custom';
      if (filters.since !== 'custom') filters.after = filters.before = '';
      apply();
    },
  }, [['', 'Any time'], ['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['custom', 'Custom range']]
    .map(([value, label]) => h('option', { value, selected: filters.since === value }, label)));
  const versionSelect = h('select', { id: 'filter-version', onchange: (event) => { filters.version = event.target.value; apply(); } },
    h('option', { value: '' }, 'All versions'), versions.map((v) => h('option', { value: v, selected: filters.version === v }, v)));


  replace(main, h('section', { class: 'page list-page' },
    h('div', { class: 'page-header' },
      h('h1', {}, functionName),
      h('button', {
        type: 'button', class: 'primary', onclick: () => openStartDialog({
          functionName, versions, version: filters.version,
          onStarted: ({ arn, alreadyExisted }) => {
            if (alreadyExisted) announce('An execution with this name and input exists already: opened it.');
            if (arn) location.hash = `#/x/${encodeURIComponent(arn)}`;
          },
        }),
      }, 'Start execution')),
    h('form', { class: 'filters', 'aria-label': 'Filters', onsubmit: (event) => event.preventDefault() },
      statusChips,
      h('div', { class: 'field' }, h('label', { for: 'filter-prefix' }, 'Name starts with'), prefixInput),
      h('div', { class: 'field' }, h('label', { for: 'filter-since' }, 'Started'), sinceSelect),
      customRange,
      h('div', { class: 'field' }, h('label', { for: 'filter-version' }, 'Version'), versionSelect),
      clearButton),
    newBanner,
    stateArea,
    h('div', { class: 'table-wrap' }, h('table', { class: 'executions' },
      h('caption', { class: 'visually-hidden' }, `Executions of ${functionName}, newest first`),
      h('thead', {}, h('tr', {}, ['Status', 'Name', 'Version', 'Started', 'Duration', 'Waiting on'].map((title) => h('th', { scope: 'col' }, title)))),
      tbody)),
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, newer, pageLabel, older)));

  function row(execution) {
    const { version } = parseFunctionArn(execution.FunctionArn);
    const href = `#/x/${encodeURIComponent(execution.DurableExecutionArn)}`;
    return h('tr', { dataset: { testid: 'execution-row', status: execution.Status, arn: execution.DurableExecutionArn, navRow: '' }, tabindex: '-1' },
      h('td', {}, statusBadge(execution.Status)),
      h('td', { class: 'name' }, h('a', { href }, execution.DurableExecutionName)),
      h('td', {}, execution.Version ?? version ?? ''),
      h('td', {}, timeText(execution.StartTimestamp)),
      h('td', { class: 'numeric' }, durationText(execution.StartTimestamp, execution.EndTimestamp ?? (execution.Status === 'RUNNING' ? undefined : execution.StartTimestamp))),
      h('td', { class: 'waiting-on' }, execution.Status === 'RUNNING' ? waitingOnText(execution.WaitingOn) : ''));
  }

  async function load({ quiet = false } = {}) {
    const number = ++requestNumber;
    if (!quiet) {
      tbody.setAttribute('aria-busy', 'true');
      if (tbody.childElementCount === 0) {
        replace(tbody, Array.from({ length: 5 }, () => h('tr', { class: 'skeleton' }, Array.from({ length: 6 }, () => h('td', {}, h('span', {}))))));
      }
    }
    const after = presets[filters.since] ? Math.floor(now() - presets[filters.since]) : filters.since === 'custom' ? filters.after : undefined;
    const before = filters.since === 'custom' ? filters.before : undefined;
    try {
      const page = await listExecutions(functionName, {
        statuses: filters.statuses, prefix: filters.prefix, after, before, version: filters.version, marker: markers.at(-1),
      });
      if (number !== requestNumber) return;
      // Servers without the prefix extension ignore it: filter the page here too (a no-op when the server did).
      const items = page.DurableExecutions.filter((execution) => execution.DurableExecutionName.startsWith(filters.prefix));
      nextMarker = page.NextMarker;
      replace(stateArea);
      // Live reloads replace the rows: the keyboard focus stays on the same execution.
      const focusedArn = tbody.contains(document.activeElement) ? document.activeElement.closest('tr')?.dataset.arn : undefined;
      replace(tbody, items.map(row));
      if (focusedArn) tbody.querySelector(`tr[data-arn="${CSS.escape(focusedArn)}"]`)?.focus();
      if (items.length === 0) {
        replace(stateArea, hasFilters(filters) || markers.length > 1
          ? emptyState('No executions match these filters.', h('button', { type: 'button', onclick: clear }, 'Clear filters'))
          : emptyState('No executions yet.', h('p', {}, 'Start one with the button above, or from the command line:'),
            h('pre', {}, `durably invoke ${functionName} '{}' --async`)));
      }
      newer.disabled = markers.length === 1;
      older.disabled = !nextMarker;
      pageLabel.textContent = `Page ${markers.length}`;
      if (markers.length === 1) newBanner.hidden = true;
    } catch (error) {
      if (number !== requestNumber) return;
      replace(tbody);
      replace(stateArea, errorBanner(error, () => load()));
    } finally {
      if (number === requestNumber) tbody.removeAttribute('aria-busy');
    }
  }

  async function loadCounts() {
    try {
      const answer = await statusCounts(functionName, filters.version || undefined);
      for (const [status, element] of counts) {
        element.hidden = !answer;
        element.textContent = answer ? String(answer.Counts?.[status] ?? 0) : '';
      }
    } catch {
      // Counts are an extra: the list works without them.
    }
  }

  function firstPage() {
    markers.length = 1;
    load();
    loadCounts();
  }

  const reloadQuietly = throttle(() => {
    if (markers.length === 1) load({ quiet: true });
    loadCounts();
  }, 300);

  const onExecution = (event) => {
    const change = event.detail;
    if (parseFunctionArn(change.FunctionArn).name !== functionName) return;
    const existing = tbody.querySelector(`tr[data-arn="${CSS.escape(change.DurableExecutionArn)}"]`);
    if (existing) {
      if (existing.dataset.status !== change.Status) announce(`${change.DurableExecutionName}: ${statusLabels[change.Status] ?? change.Status}`);
      const focused = existing.contains(document.activeElement);
      const updated = row({ ...change, WaitingOn: undefined });
      existing.replaceWith(updated);
      if (focused) updated.focus();
    } else if (markers.length > 1) {
      newBanner.hidden = false;
    } else {
      announce(`New execution ${change.DurableExecutionName}`);
    }
    reloadQuietly();
  };
  const onRefresh = () => reloadQuietly();
  live.addEventListener('execution', onExecution);
  live.addEventListener('refresh', onRefresh);
  firstPage();
  return () => {
    requestNumber++;
    clearTimeout(prefixTimer);
    live.removeEventListener('execution', onExecution);
    live.removeEventListener('refresh', onRefresh);
  };
}
