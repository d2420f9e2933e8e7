// The shell: sign-in, the functions sidebar, the hash router, keyboard shortcuts, the live stream and the clock ticks.
import { apiKey, consoleConfig, listFunctionVersions, onUnauthorized, setApiKey } from './api.js';
import { h, replace } from './dom.js';
import { formatDuration, now, setTimeZoneMode, timeZoneMode } from './format.js';
import { openHelpDialog } from './dialogs.js';
import { live } from './stream.js';
import { renderList } from './views/list.js';
import { renderDetail } from './views/detail.js';
import { renderFunctions } from './views/functions.js';
import { renderSearch } from './views/search.js';
import { errorBanner, loading } from './views/common.js';

const main = document.getElementById('main');
const sidebar = document.getElementById('sidebar');
const signOut = document.getElementById('sign-out');

/** Shared by the views: the registered function versions (ListFunctions, FunctionVersion=ALL). */
export const app = {
  versions: [],
  /** Function names with their versions, in registration order. */
  get functions() {
    const byName = new Map();
    for (const version of this.versions) {
      if (!byName.has(version.FunctionName)) byName.set(version.FunctionName, []);
      byName.get(version.FunctionName).push(version.Version);
    }
    return [...byName].map(([name, versions]) => ({ name, versions }));
  },
  async reloadFunctions() {
    this.versions = await listFunctionVersions();
    renderSidebar();
  },
};

let disposeView = null;
let signedIn = false;

/** Parses the hash: "#/f/order-processor?status=RUNNING" → { parts: ['f', 'order-processor'], query }. */
function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

function route() {
  if (!signedIn) return;
  disposeView?.();
  disposeView = null;
  const { parts, query } = currentRoute();
  const context = { main, query, app, live };
  if (parts[0] === 'f' && parts[1]) disposeView = renderList({ ...context, functionName: parts[1] });
  else if (parts[0] === 'x' && parts[1]) disposeView = renderDetail({ ...context, arn: parts[1] });
  else if (parts[0] === 'search') disposeView = renderSearch(context);
  else if (parts[0] === 'functions' || parts.length === 0) disposeView = renderFunctions(context);
  else replace(main, h('section', { class: 'page' }, h('h1', {}, 'Not found'), h('p', {}, 'This page does not exist. ', h('a', { href: '#/' }, 'Go to the functions.'))));
  renderSidebar();
}

function renderSidebar() {
  const { parts, query } = currentRoute();
  const functions = app.functions;
  replace(sidebar,
    h('h2', { class: 'sidebar-title' }, 'Functions'),
    functions.length === 0 ? h('p', { class: 'muted' }, 'No functions registered.') : h('ul', { class: 'function-list' },
      functions.map(({ name, versions }) => {
        const current = parts[0] === 'f' && parts[1] === name;
        return h('li', {},
          h('a', { href: `#/f/${encodeURIComponent(name)}`, 'aria-current': current && !query.get('version') ? 'page' : null }, name),
          h('ul', { class: 'version-list' }, versions.map((version) => h('li', {},
            h('a', {
              href: `#/f/${encodeURIComponent(name)}?version=${encodeURIComponent(version)}`,
              'aria-current': current && query.get('version') === version ? 'page' : null,
              'aria-label': `${name} version ${version}`,
            }, `v${version}`)))));
      })));
}

/** The sign-in form: shown when the server needs an API key and this tab has none (or it was refused). */
function showSignIn(message) {
  signedIn = false;
  document.body.classList.add('signed-out');
  disposeView?.();
  disposeView = null;
  live.stop();
  sidebar.replaceChildren();
  signOut.hidden = true;
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'dialog-error', role: 'alert', hidden: !message }, message ?? '');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  replace(main, h('section', { class: 'page sign-in' },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'This server requires an API key. It is kept for this tab only and sent with every request.'),
    h('form', {
      onsubmit: async (event) => {
        event.preventDefault();
        setApiKey(input.value);
        submit.disabled = true;
        try {
          await start();
        } catch (failure) {
          setApiKey(null);
          showSignIn(failure.message);
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), input),
    error,
    h('div', { class: 'dialog-actions' }, submit))));
  input.focus();
}

/** Loads what every page needs, then shows the page of the URL. Throws when the server refuses or cannot be reached. */
async function start() {
  await app.reloadFunctions();
  signedIn = true;
  document.body.classList.remove('signed-out');
  signOut.hidden = !apiKey();
  live.start();
  route();
}

async function boot() {
  replace(main, loading('Connecting to the server…'));
  onUnauthorized((error) => {
    if (signedIn || !apiKey()) showSignIn(apiKey() ? error.message : undefined);
  });
  try {
    const config = await consoleConfig();
    if (config?.AuthRequired && !apiKey()) {
      showSignIn();
      return;
    }
    await start();
  } catch (error) {
    if (error.status === 401) return; // the sign-in form is showing
    replace(main, errorBanner(error, boot));
  }
}

signOut.addEventListener('click', () => {
  setApiKey(null);
  showSignIn();
});

document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = document.getElementById('search-input').value.trim();
  if (!text) return;
  location.hash = text.startsWith('arn:') ? `#/x/${encodeURIComponent(text)}` : `#/search?q=${encodeURIComponent(text)}`;
});

document.getElementById('help-button').addEventListener('click', openHelpDialog);

const timeZoneButton = document.getElementById('time-zone');
const showTimeZone = () => {
  timeZoneButton.textContent = timeZoneMode() === 'UTC' ? 'UTC' : 'Local time';
  timeZoneButton.setAttribute('aria-label', `Times are in ${timeZoneMode() === 'UTC' ? 'UTC' : 'local time'}: switch to ${timeZoneMode() === 'UTC' ? 'local time' : 'UTC'}`);
};
timeZoneButton.addEventListener('click', () => {
  setTimeZoneMode(timeZoneMode() === 'UTC' ? 'Local' : 'UTC');
  showTimeZone();
  route();
});
showTimeZone();

// Keyboard: "/" search, "?" help, j/k move between rows, Enter opens, "g f" functions.
let pendingG = false;
document.addEventListener('keydown', (event) => {
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
    || target.isContentEditable || document.querySelector('dialog[open]');
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === '/') {
    event.preventDefault();
    document.getElementById('search-input').focus();
  } else if (event.key === '?') {
    openHelpDialog();
  } else if (event.key === 'j' || event.key === 'k') {
    const rows = [...main.querySelectorAll('[data-nav-row]')];
    if (rows.length === 0) return;
    const index = rows.indexOf(document.activeElement.closest?.('[data-nav-row]'));
    const next = rows[Math.max(0, Math.min(rows.length - 1, index + (event.key === 'j' ? 1 : -1)))] ?? rows[0];
    next.focus();
    event.preventDefault();
  } else if (event.key === 'Enter' && target.matches?.('[data-nav-row]')) {
    target.querySelector('a, button')?.click();
  } else if (event.key === 'g') {
    pendingG = true;
    setTimeout(() => (pendingG = false), 1000);
    return;
  } else if (event.key === 'f' && pendingG) {
    location.hash = '#/functions';
  }
  pendingG = false;
});

// Durations of running things tick once a second: any element with data-tick-from (epoch seconds).
setInterval(() => {
  for (const element of document.querySelectorAll('[data-tick-from]')) {
    element.textContent = formatDuration(now() - Number(element.dataset.tickFrom));
  }
}, 1000);

window.addEventListener('hashchange', route);
boot();
