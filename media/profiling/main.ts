// The profiling result webview's script: validates host messages, renders with DOM text nodes only, posts validated actions.
import { materialize } from '../../client/panel/dom';
import { HostMessage, WebviewMessage, type ResultView } from '../../client/profiling/messages';
import { renderResult } from '../../client/profiling/view';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const root = document.getElementById('root');
let view: ResultView = { kind: 'empty' };

function render(): void {
  root?.replaceChildren(materialize(document, renderResult(view)) as Node);
}

function post(message: unknown): void {
  const parsed = WebviewMessage.safeParse(message);
  if (parsed.success) vscode.postMessage(parsed.data);
  else console.error('profiling view: refusing to post an invalid message', parsed.error.issues);
}

document.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!button) return;
  const data = button.dataset;
  if (data.action === 'open') post({ type: 'open', file: data.file, line: Number(data.line) });
  else if (data.action === 'openSaved') post({ type: 'openSaved', path: data.path });
  else if (data.action === 'findInCode') post({ type: 'findInCode', command: data.command });
});

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = HostMessage.safeParse(event.data);
  if (!parsed.success) {
    console.error('profiling view: ignoring an invalid host message', parsed.error.issues);
    return;
  }
  view = parsed.data.view;
  render();
});

render();
post({ type: 'ready' });
