// The Redis panel's webview script: validates host messages, renders with DOM text nodes only, posts validated actions.
import { materialize } from '../../client/panel/dom';
import { HostMessage, idleKeyspace, WebviewMessage, type KeyspaceView } from '../../client/panel/messages';
import { renderPanel } from '../../client/panel/view';
import { emptyState, type PanelState } from '../../measure/redis/model';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const root = document.getElementById('root');

let state: PanelState = emptyState({ hitRatio: 0.9, memoryUse: 0.8 });
let keyspace: KeyspaceView = idleKeyspace(1000);
let status: string | null = null;

let pointerDown = false;
let renderPending = false;

function render(): void {
  renderPending = false;
  if (!root) return;
  root.replaceChildren(materialize(document, renderPanel(state, keyspace, status)) as Node);
}

/**
 * Renders now, or after the pointer is released: replacing a button between mousedown and mouseup would lose the click.
 */
function scheduleRender(): void {
  if (pointerDown) renderPending = true;
  else render();
}

document.addEventListener('pointerdown', () => {
  pointerDown = true;
});
document.addEventListener('pointerup', () => {
  pointerDown = false;
  if (renderPending) setTimeout(render, 0); // after the click event has been dispatched
});

function post(message: unknown): void {
  const parsed = WebviewMessage.safeParse(message);
  if (parsed.success) vscode.postMessage(parsed.data);
  else console.error('panel: refusing to post an invalid message', parsed.error.issues);
}

/** Builds the message for a clicked `[data-action]` button from its data attributes. */
function messageFor(button: HTMLElement): unknown {
  const data = button.dataset;
  switch (data.action) {
    case 'find':
      return { type: 'findInCode', query: { command: data.command, keyPrefix: data.prefix }, label: data.label ?? '' };
    case 'docs':
      return { type: 'openRuleDocs', ruleId: data.rule };
    default:
      return { type: data.action };
  }
}

document.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!button || button.hasAttribute('disabled')) return;
  post(messageFor(button));
});

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = HostMessage.safeParse(event.data);
  if (!parsed.success) {
    console.error('panel: ignoring an invalid host message', parsed.error.issues);
    return;
  }
  const message = parsed.data;
  if (message.type === 'state') {
    state = message.state;
    post({ type: 'stateShown' });
  } else if (message.type === 'keyspace') keyspace = message.keyspace;
  else status = message.message;
  scheduleRender();
});

render();
post({ type: 'ready' });
