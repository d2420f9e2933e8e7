// The live stream of execution changes (GET durably/stream, text/event-stream), read with fetch() so that it can carry
// the API key header (EventSource cannot). Reconnects with Last-Event-ID and back-off; when the server has no stream,
// the console falls back to polling what it shows every few seconds.
import { authHeaders, toApiError } from './api.js';
import { formatTimeOfDay, now } from './format.js';

const pollSeconds = 3;

/**
 * Dispatches `execution` (detail: the change), `refresh` (reload what you show: after a gap, a reset or a poll tick)
 * and `state` (detail: 'connecting' | 'live' | 'reconnecting' | 'polling' | 'offline').
 */
export class LiveUpdates extends EventTarget {
  #lastEventId = null;
  #lastEventAt = null;
  #abort = null;
  #pollTimer = null;
  #state = 'offline';

  get state() {
    return this.#state;
  }

  start() {
    this.stop();
    this.#abort = new AbortController();
    this.#run(this.#abort.signal);
  }

  stop() {
    this.#abort?.abort();
    this.#abort = null;
    clearInterval(this.#pollTimer);
    this.#pollTimer = null;
    this.#setState('offline');
  }

  async #run(signal) {
    let delay = 500;
    let connectedBefore = false;
    while (!signal.aborted) {
      this.#setState(connectedBefore ? 'reconnecting' : 'connecting');
      try {
        const headers = authHeaders();
        if (this.#lastEventId !== null) headers.set('Last-Event-ID', this.#lastEventId);
        const response = await fetch('durably/stream', { headers, signal, cache: 'no-store' });
        if (response.status === 404 || response.status === 405) {
          this.#startPolling();
          return;
        }
        if (!response.ok) {
          const error = await toApiError(response);
          if (response.status === 401) return;
          throw error;
        }
        this.#setState('live');
        // Events missed while disconnected are replayed by the server when it still has them; a first connection
        // (or one without an id yet) reloads what the page shows, so nothing between its load and the stream is lost.
        if (this.#lastEventId === null) this.dispatchEvent(new Event('refresh'));
        connectedBefore = true;
        delay = 500;
        await this.#read(response.body, signal);
      } catch (error) {
        if (signal.aborted) return;
        console.warn('Live updates interrupted:', error);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }

  async #read(body, signal) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
    let buffer = '';
    let event = { id: null, type: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (event.data.length > 0) this.#dispatch(event);
          event = { id: null, type: 'message', data: [] };
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = text;
          else if (field === 'event') event.type = text;
          else if (field === 'data') event.data.push(text);
        }
      }
    }
  }

  #dispatch(event) {
    if (event.id !== null) this.#lastEventId = event.id;
    this.#lastEventAt = now();
    if (event.type === 'reset') {
      this.dispatchEvent(new Event('refresh'));
    } else if (event.type === 'execution') {
      this.dispatchEvent(new CustomEvent('execution', { detail: JSON.parse(event.data.join('\n')) }));
    }
    this.#setState('live');
  }

  #startPolling() {
    this.#setState('polling');
    this.#pollTimer = setInterval(() => this.dispatchEvent(new Event('refresh')), pollSeconds * 1000);
  }

  #setState(state) {
    this.#state = state;
    const element = document.getElementById('stream-status');
    element.dataset.state = state;
    const last = this.#lastEventAt ? ` (last event ${formatTimeOfDay(this.#lastEventAt)})` : '';
    element.textContent = {
      connecting: 'Connecting…',
      live: 'Live',
      reconnecting: 'Live updates paused — reconnecting',
      polling: `Refreshing every ${pollSeconds} s`,
      offline: 'Offline',
    }[state];
    element.title = state === 'reconnecting' ? `The live stream dropped${last}.` : state === 'polling'
      ? 'This server has no live stream: the page reloads what it shows.' : '';
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }
}

export const live = new LiveUpdates();
