// Global search: executions whose name starts with the text, over every function (a pasted ARN opens it directly).
import { listExecutions, parseFunctionArn } from '../api.js';
import { h, replace } from '../dom.js';
import { emptyState, errorBanner, loading, statusBadge, timeText } from './common.js';

export function renderSearch({ main, query, app }) {
  const text = query.get('q') ?? '';
  let disposed = false;
  const content = h('div', {}, loading('Searching…'));
  replace(main, h('section', { class: 'page' }, h('h1', {}, `Executions named “${text}…”`), content));

  async function load() {
    try {
      const pages = await Promise.all(app.functions.map(({ name }) => listExecutions(name, { prefix: text, pageSize: 50 })));
      if (disposed) return;
      const found = pages.flatMap((page) => page.DurableExecutions).filter((execution) => execution.DurableExecutionName.startsWith(text))
        .sort((a, b) => b.StartTimestamp - a.StartTimestamp);
      replace(content, found.length === 0 ? emptyState('No execution has a name starting with that.') : h('div', { class: 'table-wrap' }, h('table', { class: 'executions' },
        h('caption', { class: 'visually-hidden' }, 'Matching executions'),
        h('thead', {}, h('tr', {}, ['Status', 'Name', 'Function', 'Started'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, found.map((execution) => h('tr', { dataset: { testid: 'execution-row', status: execution.Status, navRow: '' }, tabindex: '-1' },
          h('td', {}, statusBadge(execution.Status)),
          h('td', {}, h('a', { href: `#/x/${encodeURIComponent(execution.DurableExecutionArn)}` }, execution.DurableExecutionName)),
          h('td', {}, `${parseFunctionArn(execution.FunctionArn).name}:${execution.Version ?? parseFunctionArn(execution.FunctionArn).version}`),
          h('td', {}, timeText(execution.StartTimestamp))))))));
    } catch (error) {
      if (!disposed) replace(content, errorBanner(error, load));
    }
  }

  load();
  return () => {
    disposed = true;
  };
}
