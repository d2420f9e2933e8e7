// The timeline: one row per operation on a shared time axis, nested under its parent (collapsible, an ARIA treegrid);
// a step's attempts as segments with their back-off gaps; waits to their scheduled end; invocations as numbered bands.
import { h } from '../dom.js';
import { formatDuration, formatError, formatTimeOfDay, isoUtc, statusIcon, statusLabels } from '../format.js';
import { visibleRows } from '../timeline-model.js';
import { idleGaps, timeScale } from '../time-scale.js';

const typeLabels = { STEP: 'Step', WAIT: 'Wait', CALLBACK: 'Callback', CONTEXT: 'Context', CHAINED_INVOKE: 'Invoke' };

/** Where an operation that has not ended is drawn to: now while the execution runs, else the execution's end. */
export const openEnd = (node, axis) => node.end ?? axis.end;

/**
 * @param model from buildModel
 * @param axis {start, end} epoch seconds
 * @param state {collapsed: Set, selected: string|undefined, collapseIdle: boolean, onSelect(id), onToggle(id), onCollapseIdle(on)}
 */
export function renderTimeline(model, axis, state) {
  const gaps = idleGaps(model.invocations, axis);
  const scale = timeScale(axis, state.collapseIdle ? gaps : []);
  const position = scale.position;
  const place = (from, to) => ({ left: `${position(from)}%`, width: `${Math.max(position(to) - position(from), 0)}%` });

  const ticks = [0, 25, 50, 75, 100].map((percent) => {
    const t = scale.timeAt(percent);
    return h('span', { class: 'tick', style: { left: `${percent}%` }, title: isoUtc(t) },
      percent === 0 ? formatTimeOfDay(t) : `+${formatDuration(t - axis.start)}`);
  });
  const breaks = scale.gaps.map((gap) => h('div', {
    class: 'idle-break', style: place(gap.start, gap.end), dataset: { testid: 'idle-break' },
    title: `${formatDuration(gap.end - gap.start)} without a running invocation (collapsed)`,
  }));

  const bands = model.invocations.map((invocation) => h('div', {
    class: `invocation-band${invocation.error ? ' failed' : ''}`, style: place(invocation.start, invocation.end ?? axis.end),
    dataset: { testid: 'invocation', index: invocation.index },
    title: `Invocation ${invocation.index}: ${formatTimeOfDay(invocation.start)} – ${formatTimeOfDay(invocation.end)} (${formatDuration(invocation.end - invocation.start)})${invocation.error ? ` — ${formatError(invocation.error)}` : ''}`,
  }, h('span', { class: 'band-label' }, `#${invocation.index}`)));

  const rows = visibleRows(model.roots, state.collapsed).map(({ node, depth }) => operationRow(node, depth));

  function operationRow(node, depth) {
    const hasChildren = node.children.length > 0;
    const expanded = hasChildren ? !state.collapsed.has(node.id) : undefined;
    const selected = state.selected === node.id;
    const attempts = node.attempts.length;
    const meta = [
      node.subType && node.subType !== typeLabels[node.type] ? `${typeLabels[node.type]} · ${node.subType}` : typeLabels[node.type],
      attempts > 1 ? `${attempts} attempts` : null,
      formatDuration(openEnd(node, axis) - node.start),
    ].filter(Boolean).join(' · ');
    return h('div', {
      class: `tl-row${selected ? ' selected' : ''}`, role: 'row', 'aria-level': depth + 1, 'aria-expanded': expanded === undefined ? null : String(expanded),
      'aria-selected': String(selected), dataset: { opId: node.id, status: node.status, testid: 'timeline-row' },
    },
    h('div', { class: 'tl-label', role: 'gridcell', style: { paddingLeft: `${0.5 + depth * 1.1}rem` } },
      hasChildren
        ? h('button', { type: 'button', class: 'toggle', 'aria-label': `${expanded ? 'Collapse' : 'Expand'} ${node.name ?? node.id}`, onclick: () => state.onToggle(node.id) }, expanded ? '▾' : '▸')
        : h('span', { class: 'toggle-space' }),
      h('button', {
        type: 'button', class: 'op-name', dataset: { opId: node.id }, 'aria-label': `${node.name ?? node.id}, ${typeLabels[node.type]}, ${statusLabels[node.status]}`,
        onclick: () => state.onSelect(node.id), onkeydown: (event) => keyboard(event, node, hasChildren, expanded),
      }, h('span', { class: 'status-icon', dataset: { status: node.status }, 'aria-hidden': 'true' }, statusIcon(node.status)), ` ${node.name ?? node.id}`),
      h('span', { class: 'op-meta' }, meta)),
    h('div', { class: 'tl-track', role: 'gridcell' }, bars(node)));
  }

  function bars(node) {
    const label = node.name ?? node.id;
    if (node.type === 'STEP' && node.attempts.length > 0) {
      return node.attempts.flatMap((attempt, index) => {
        const end = attempt.end ?? axis.end;
        const nextStart = node.attempts[index + 1]?.start ?? (node.status === 'PENDING' ? Math.min(attempt.retryAt ?? end, axis.end) : undefined);
        const segment = h('div', {
          class: 'bar', style: place(attempt.start, end),
          dataset: { testid: 'timeline-bar', opId: node.id, attempt: attempt.number, status: attempt.status },
          title: `${label} — attempt ${attempt.number}: ${statusLabels[attempt.status]}, ${formatDuration(end - attempt.start)}${attempt.error ? ` — ${formatError(attempt.error)}` : ''}`,
        });
        const gap = attempt.retryDelay !== undefined && nextStart !== undefined
          ? h('div', { class: 'gap', style: place(end, nextStart), title: `Back-off of ${formatDuration(attempt.retryDelay)} before attempt ${attempt.number + 1}` })
          : null;
        return [segment, gap];
      });
    }
    const end = openEnd(node, axis);
    const title = `${label} — ${statusLabels[node.status]}, ${formatDuration(end - node.start)}`;
    const elements = [h('div', {
      class: `bar kind-${node.type.toLowerCase()}`, style: place(node.start, end), dataset: { testid: 'timeline-bar', opId: node.id, status: node.status }, title,
    })];
    if (node.type === 'WAIT' && node.scheduledEnd !== undefined && node.end === undefined) {
      elements.push(h('div', { class: 'scheduled', style: place(end, node.scheduledEnd), title: `Scheduled to end at ${formatTimeOfDay(node.scheduledEnd)}` }));
    }
    const note = node.type === 'WAIT' && node.scheduledEnd !== undefined ? `until ${formatTimeOfDay(node.scheduledEnd)}`
      : node.status === 'PENDING' && node.nextAttemptAt ? `retry at ${formatTimeOfDay(node.nextAttemptAt)}` : null;
    if (note) elements.push(h('span', { class: 'bar-note', style: { left: `${Math.min(position(end), 85)}%` } }, note));
    return elements;
  }

  /** Treegrid keys: Up/Down move between rows, Right expands (or enters), Left collapses (or goes to the parent). */
  function keyboard(event, node, hasChildren, expanded) {
    const names = [...event.currentTarget.closest('.timeline').querySelectorAll('.op-name')];
    const index = names.indexOf(event.currentTarget);
    if (event.key === 'ArrowDown') names[index + 1]?.focus();
    else if (event.key === 'ArrowUp') names[index - 1]?.focus();
    else if (event.key === 'ArrowRight' && hasChildren && !expanded) state.onToggle(node.id);
    else if (event.key === 'ArrowLeft' && hasChildren && expanded) state.onToggle(node.id);
    else if (event.key === 'ArrowLeft' && node.parentId) names.find((name) => name.dataset.opId === node.parentId)?.focus();
    else return;
    event.preventDefault();
  }

  const idleToggle = gaps.length === 0 ? null : h('label', { class: 'idle-toggle' },
    h('input', { type: 'checkbox', checked: state.collapseIdle, onchange: (event) => state.onCollapseIdle(event.target.checked) }),
    ` Collapse idle time (${gaps.length === 1 ? '1 gap' : `${gaps.length} gaps`}, ${formatDuration(gaps.reduce((sum, gap) => sum + gap.end - gap.start, 0))})`);

  return [idleToggle, h('div', { class: 'timeline', role: 'treegrid', 'aria-label': 'Operations on a time axis' },
    h('div', { class: 'tl-row tl-axis', role: 'row' },
      h('div', { class: 'tl-label', role: 'columnheader' }, 'Operation'),
      h('div', { class: 'tl-track', role: 'columnheader', 'aria-label': 'Time' }, ticks)),
    h('div', { class: 'tl-row tl-invocations', role: 'row' },
      h('div', { class: 'tl-label', role: 'gridcell' }, `Invocations (${model.invocations.length})`),
      h('div', { class: 'tl-track', role: 'gridcell' }, bands)),
    rows.length === 0 ? h('p', { class: 'muted tl-empty' }, 'No operations yet.') : rows,
    h('div', { class: 'tl-bands', 'aria-hidden': 'true' }, model.invocations.map((invocation) =>
      h('div', { class: 'band-shade', style: place(invocation.start, invocation.end ?? axis.end) })), breaks))];
}
