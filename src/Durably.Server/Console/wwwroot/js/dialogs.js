// The action dialogs: callback success/failure, stop, start. Native <dialog> (focus trap, Esc closes). Nothing on the
// page changes before the server answers 2xx; the stream (or the caller) then shows the effect. Errors stay in the
// dialog, verbatim.
import { h } from './dom.js';
import { sendCallback, startExecution, stopExecution } from './api.js';

const maxBodyBytes = 262_144;

/** Opens a modal dialog; `build(close)` returns its content. Removed from the page when closed. */
function openDialog(title, build, className = '') {
  const heading = h('h2', { id: `dialog-title-${Date.now()}` }, title);
  const dialog = h('dialog', { class: `dialog ${className}`, 'aria-labelledby': heading.id });
  const close = () => dialog.close();
  dialog.append(heading, ...[build(close)].flat());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** Checks JSON as the user types: null when valid (or empty and allowed), else a message with line and column. */
export function validateJson(text, { allowEmpty = true } = {}) {
  if (text.trim() === '') return allowEmpty ? null : 'Enter a JSON value.';
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const position = /position (\d+)/.exec(error.message);
    if (!position) return error.message;
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `${error.message.replace(/ in JSON at position \d+.*$/, '')} (line ${line}, column ${column})`;
  }
}

/** A labelled JSON textarea with validation as you type and a byte counter; `onChange(valid)` tracks validity. */
function jsonEditor({ label, id, value = '', allowEmpty = true, emptyMeans = 'null', rows = 8, onChange }) {
  const textarea = h('textarea', { id, class: 'json-editor', rows, spellcheck: 'false', 'aria-describedby': `${id}-status` }, value);
  const status = h('p', { id: `${id}-status`, class: 'field-status', role: 'status' });
  const check = () => {
    const bytes = new TextEncoder().encode(textarea.value).length;
    const problem = validateJson(textarea.value, { allowEmpty })
      ?? (bytes > maxBodyBytes ? `Too large: ${bytes.toLocaleString()} bytes; the limit is 256 KiB.` : null);
    textarea.setAttribute('aria-invalid', String(problem !== null));
    status.classList.toggle('invalid', problem !== null);
    status.textContent = problem ?? `Valid JSON · ${bytes.toLocaleString()} bytes${textarea.value.trim() === '' ? ` (empty = ${emptyMeans})` : ''}`;
    onChange(problem === null);
  };
  textarea.addEventListener('input', check);
  queueMicrotask(check);
  return { element: h('div', { class: 'field' }, h('label', { for: id }, label), textarea, status), textarea };
}

function errorArea() {
  return h('p', { class: 'dialog-error', role: 'alert', hidden: true });
}

function showError(area, error) {
  area.hidden = false;
  area.textContent = error.message;
}

/** Runs `action` with the submit button disabled; returns true when it succeeded. */
async function submitting(button, area, action) {
  button.disabled = true;
  area.hidden = true;
  const label = button.textContent;
  button.textContent = 'Sending…';
  try {
    await action();
    return true;
  } catch (error) {
    showError(area, error);
    return false;
  } finally {
    button.textContent = label;
    button.disabled = false;
  }
}

function textField(id, label, attributes = {}) {
  const input = h('input', { id, type: 'text', autocomplete: 'off', spellcheck: 'false', ...attributes });
  return { element: h('div', { class: 'field' }, h('label', { for: id }, label), input), input };
}

/** The callback dialog: "Send success" (a JSON result) or "Send failure" (an error the console builds), as tabs. */
export function openCallbackDialog({ callbackId, name, tab = 'success', onDone }) {
  return openDialog(`Answer callback ${name ?? ''}`.trim(), (close) => {
    const error = errorArea();
    let resultValid = true;
    const submitSuccess = h('button', { type: 'submit', class: 'primary' }, 'Send success');
    const result = jsonEditor({
      label: 'Result JSON', id: 'callback-result', onChange: (valid) => {
        resultValid = valid;
        submitSuccess.disabled = !valid;
      },
    });
    const successForm = h('form', {
      class: 'tab-panel', id: 'callback-success-panel', role: 'tabpanel', 'aria-labelledby': 'callback-success-tab',
      onsubmit: async (event) => {
        event.preventDefault();
        if (!resultValid) return;
        const body = result.textarea.value.trim() === '' ? undefined : result.textarea.value;
        if (await submitting(submitSuccess, error, () => sendCallback(callbackId, 'succeed', body))) {
          close();
          onDone?.('Callback answered with success.');
        }
      },
    }, result.element, h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: close }, 'Cancel'), submitSuccess));

    const errorType = textField('callback-error-type', 'Error type', { placeholder: 'e.g. Rejected' });
    const errorMessage = textField('callback-error-message', 'Error message');
    let dataValid = true;
    const submitFailure = h('button', { type: 'submit', class: 'primary danger' }, 'Send failure');
    const errorData = jsonEditor({
      label: 'Error data (JSON, optional)', id: 'callback-error-data', rows: 3, emptyMeans: 'none', onChange: (valid) => {
        dataValid = valid;
        submitFailure.disabled = !valid;
      },
    });
    const stackTrace = h('textarea', { id: 'callback-stack-trace', rows: 3, spellcheck: 'false' });
    const failureForm = h('form', {
      class: 'tab-panel', id: 'callback-failure-panel', role: 'tabpanel', 'aria-labelledby': 'callback-failure-tab',
      onsubmit: async (event) => {
        event.preventDefault();
        if (!dataValid) return;
        const body = {};
        if (errorType.input.value) body.ErrorType = errorType.input.value;
        if (errorMessage.input.value) body.ErrorMessage = errorMessage.input.value;
        if (errorData.textarea.value.trim()) body.ErrorData = errorData.textarea.value;
        const frames = stackTrace.value.split('\n').map((line) => line.trim()).filter(Boolean);
        if (frames.length) body.StackTrace = frames;
        if (await submitting(submitFailure, error, () => sendCallback(callbackId, 'fail', JSON.stringify(body)))) {
          close();
          onDone?.('Callback answered with failure.');
        }
      },
    }, errorType.element, errorMessage.element, errorData.element,
    h('div', { class: 'field' }, h('label', { for: 'callback-stack-trace' }, 'Stack trace (one frame a line, optional)'), stackTrace),
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: close }, 'Cancel'), submitFailure));

    const tabs = { success: [successForm], failure: [failureForm] };
    const tabButtons = {};
    const select = (which) => {
      for (const [key, [panel]] of Object.entries(tabs)) {
        panel.hidden = key !== which;
        tabButtons[key].setAttribute('aria-selected', String(key === which));
        tabButtons[key].tabIndex = key === which ? 0 : -1;
      }
    };
    for (const [key, label] of [['success', 'Success'], ['failure', 'Failure']]) {
      tabButtons[key] = h('button', {
        type: 'button', role: 'tab', id: `callback-${key}-tab`, 'aria-controls': `callback-${key}-panel`, onclick: () => select(key),
        onkeydown: (event) => {
          if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
            const other = key === 'success' ? 'failure' : 'success';
            select(other);
            tabButtons[other].focus();
          }
        },
      }, label);
    }
    select(tab);
    queueMicrotask(() => (tab === 'success' ? result.textarea : errorType.input).focus());
    return [
      h('p', { class: 'muted' }, 'Callback id ', h('code', { class: 'wrap' }, callbackId)),
      h('div', { role: 'tablist', 'aria-label': 'Answer' }, tabButtons.success, tabButtons.failure),
      successForm, failureForm, error,
    ];
  }, 'callback-dialog');
}

/** Sends a heartbeat; resolves to an error message, or null when the server accepted it. */
export async function sendHeartbeat(callbackId) {
  try {
    await sendCallback(callbackId, 'heartbeat');
    return null;
  } catch (error) {
    return error.message;
  }
}

/** Stop, after a confirmation that says what stopping does; the error is optional. Focus starts on Cancel. */
export function openStopDialog({ arn, name, onDone }) {
  return openDialog(`Stop execution ${name}?`, (close) => {
    const error = errorArea();
    const errorType = textField('stop-error-type', 'Error type (optional)');
    const errorMessage = textField('stop-error-message', 'Error message (optional)');
    const cancel = h('button', { type: 'button', onclick: close, autofocus: true }, 'Cancel');
    const submit = h('button', { type: 'submit', class: 'primary danger' }, 'Stop execution');
    return h('form', {
      onsubmit: async (event) => {
        event.preventDefault();
        const body = {};
        if (errorType.input.value) body.ErrorType = errorType.input.value;
        if (errorMessage.input.value) body.ErrorMessage = errorMessage.input.value;
        if (await submitting(submit, error, () => stopExecution(arn, Object.keys(body).length ? body : undefined))) {
          close();
          onDone?.();
        }
      },
    },
    h('p', {}, 'The execution becomes STOPPED at once and starts no new invocation. An invocation that is running now is not interrupted: its next checkpoint is refused. This cannot be undone.'),
    errorType.element, errorMessage.element, error,
    h('div', { class: 'dialog-actions' }, cancel, submit));
  });
}

const executionNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Start an execution of a function: input JSON, optional name (idempotent start), optional version. */
export function openStartDialog({ functionName, versions, version, onStarted }) {
  return openDialog(`Start ${functionName}`, (close) => {
    const error = errorArea();
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Start execution');
    let inputValid = true;
    let nameValid = true;
    const update = () => (submit.disabled = !(inputValid && nameValid));
    const input = jsonEditor({ label: 'Input JSON', id: 'start-input', emptyMeans: 'no input', onChange: (valid) => ((inputValid = valid), update()) });
    const name = textField('start-name', 'Execution name (optional)', { maxlength: 64, 'aria-describedby': 'start-name-status', placeholder: 'e.g. order-42' });
    const nameStatus = h('p', { id: 'start-name-status', class: 'field-status', role: 'status' },
      'Naming an execution makes starting it idempotent: the same name and input open the existing one.');
    name.element.append(nameStatus);
    name.input.addEventListener('input', () => {
      const value = name.input.value;
      nameValid = value === '' || executionNamePattern.test(value);
      name.input.setAttribute('aria-invalid', String(!nameValid));
      nameStatus.classList.toggle('invalid', !nameValid);
      nameStatus.textContent = nameValid
        ? 'Naming an execution makes starting it idempotent: the same name and input open the existing one.'
        : 'A name is 1–64 characters: letters, digits, - and _.';
      update();
    });
    const versionSelect = h('select', { id: 'start-version' },
      h('option', { value: '' }, 'Latest version'),
      versions.map((v) => h('option', { value: v, selected: v === version }, v)));
    queueMicrotask(() => input.textarea.focus());
    return h('form', {
      onsubmit: async (event) => {
        event.preventDefault();
        if (!(inputValid && nameValid)) return;
        let started;
        const body = input.textarea.value.trim() === '' ? undefined : input.textarea.value;
        const ok = await submitting(submit, error, async () => {
          started = await startExecution(functionName, { input: body, name: name.input.value || undefined, version: versionSelect.value || undefined });
        });
        if (ok) {
          close();
          onStarted?.(started);
        }
      },
    },
    input.element, name.element,
    h('div', { class: 'field' }, h('label', { for: 'start-version' }, 'Version'), versionSelect),
    error,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: close }, 'Cancel'), submit));
  });
}

/** The keyboard shortcuts. */
export function openHelpDialog() {
  const keys = [
    ['/', 'Search executions'], ['j / k', 'Next / previous row'], ['Enter', 'Open the selected row'],
    ['Esc', 'Close a dialog or the operation panel'], ['g f', 'Functions page'], ['?', 'This help'],
  ];
  return openDialog('Keyboard shortcuts', (close) => [
    h('dl', { class: 'shortcuts' }, keys.map(([key, what]) => [h('dt', {}, h('kbd', {}, key)), h('dd', {}, what)])),
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: close, autofocus: true }, 'Close')),
  ]);
}
