// Builds DOM nodes. Text always goes in as text nodes (never innerHTML): payloads and error messages are user data.

/**
 * h('a', { href: '#/', class: 'x', onclick: f, dataset: { id: 1 } }, 'text', child, [more])
 * Props: `class`, `dataset`, `style` (an object), `on<event>` listeners, booleans (set when true), anything else as an attribute.
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'style') Object.assign(element.style, value);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Appends children: nodes, strings and numbers (as text), nested arrays; null, undefined and false are skipped. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Announces a change to screen readers, at most once a second (a burst of live updates reads as one). */
let pendingAnnouncement = null;
export function announce(message) {
  const first = pendingAnnouncement === null;
  pendingAnnouncement = message;
  if (!first) return;
  setTimeout(() => {
    document.getElementById('announcer').textContent = pendingAnnouncement;
    pendingAnnouncement = null;
  }, 1000);
}

/** Calls `action` at most once per `milliseconds`, the last call winning (trailing edge). */
export function throttle(action, milliseconds) {
  let timer = null;
  return () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      action();
    }, milliseconds);
  };
}
