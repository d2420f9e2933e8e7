// The functions page: every registered version (in code or HTTP), its configuration and its executions per status;
// a version with running executions and no handler on this server is flagged as stuck.
import { functionDetails, statusCounts } from '../api.js';
import { h, replace, throttle } from '../dom.js';
import { formatDuration, statusLabels } from '../format.js';
import { emptyState, errorBanner, loading } from './common.js';

const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'];

export function renderFunctions({ main, app, live }) {
  let disposed = false;
  const content = h('div', {}, loading());
  replace(main, h('section', { class: 'page functions-page' }, h('div', { class: 'page-header' }, h('h1', {}, 'Functions')), content));

  async function load() {
    try {
      await app.reloadFunctions();
      const [details, ...counts] = await Promise.all([functionDetails(), ...app.functions.map(({ name }) => statusCounts(name))]);
      if (disposed) return;
      render(details, counts);
    } catch (error) {
      if (!disposed) replace(content, errorBanner(error, load));
    }
  }

  function render(details, counts) {
    if (app.versions.length === 0) {
      replace(content, emptyState('No functions are registered.', h('p', {}, 'Register one in code with AddFunction(…), or at run time with POST /durably/functions (docs/http-functions.md).')));
      return;
    }
    const detailOf = (name, version) => details?.find((d) => d.FunctionName === name && d.Version === version);
    const hasCounts = counts.some(Boolean);
    const headers = ['Function', 'Version', 'Kind', 'Execution timeout', 'Retention', ...(hasCounts ? statuses.map((s) => statusLabels[s]) : [])];
    const rows = app.functions.flatMap(({ name }, index) => app.versions.filter((v) => v.FunctionName === name).map((configuration) => {
      const detail = detailOf(name, configuration.Version);
      const versionCounts = counts[index]?.Versions?.find((v) => v.Version === configuration.Version);
      return row(name, configuration.Version, detail, configuration.DurableConfig, versionCounts);
    }));
    // Versions that still have executions but are no longer registered: only the counts route knows them.
    const gone = counts.flatMap((answer, index) => (answer?.Versions ?? [])
      .filter((v) => !app.versions.some((c) => c.FunctionName === app.functions[index].name && c.Version === v.Version))
      .map((v) => row(app.functions[index].name, v.Version, undefined, undefined, v)));
    replace(content,
      h('div', { class: 'table-wrap' }, h('table', { class: 'functions' },
        h('caption', { class: 'visually-hidden' }, 'Registered functions and their versions'),
        h('thead', {}, h('tr', {}, headers.map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, rows, gone))),
      details ? null : h('p', { class: 'muted' }, 'This server does not describe its functions (GET /durably/functions): kinds are not shown.'));

    function row(name, version, detail, config, versionCounts) {
      const stuck = versionCounts && versionCounts.Hosted === false && (versionCounts.Counts?.RUNNING ?? 0) > 0;
      const link = (status) => `#/f/${encodeURIComponent(name)}?version=${encodeURIComponent(version)}${status ? `&status=${status}` : ''}`;
      const timeout = detail?.ExecutionTimeout ?? config?.ExecutionTimeout;
      const retention = detail?.RetentionPeriodInDays ?? config?.RetentionPeriodInDays;
      return h('tr', { dataset: { testid: 'function-row', function: name, version, navRow: '' }, tabindex: '-1' },
        h('td', {}, h('a', { href: `#/f/${encodeURIComponent(name)}` }, name)),
        h('td', {}, h('a', { href: link() }, version)),
        h('td', {}, detail ? (detail.Kind === 'Http' ? h('span', { title: detail.Url }, `HTTP · ${detail.Url}`) : 'In code') : config ? '' : 'No handler'),
        h('td', {}, timeout !== undefined ? formatDuration(timeout) : ''),
        h('td', {}, retention !== undefined ? `${retention} d` : ''),
        hasCounts ? statuses.map((status) => h('td', { class: 'numeric' },
          status === 'RUNNING' && stuck
            ? h('a', { href: link('RUNNING'), class: 'stuck', title: 'No handler for this version on this server: these executions cannot move.' }, `${versionCounts.Counts.RUNNING} stuck`)
            : h('a', { href: link(status) }, String(versionCounts?.Counts?.[status] ?? 0)))) : null);
    }
  }

  const reload = throttle(load, 1000);
  live.addEventListener('execution', reload);
  live.addEventListener('refresh', reload);
  load();
  return () => {
    disposed = true;
    live.removeEventListener('execution', reload);
    live.removeEventListener('refresh', reload);
  };
}
