/** The waterfall view's entry: routes the URL hash to the trace list or a trace page. */

import { parseHash } from './routes';
import { renderTraceList } from './trace-list';
import { renderTracePage } from './trace-page';

const root = document.getElementById('app')!;
let current: AbortController | undefined;

function route(): void {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const target = parseHash(location.hash);
  if (target.page === 'trace') {
    document.title = 'Trace · spanlite dev';
    void renderTracePage(root, target.traceId, target.spanId, controller.signal);
  } else {
    document.title = 'Traces · spanlite dev';
    renderTraceList(root, target.filters, controller.signal);
  }
  window.scrollTo(0, 0);
}

window.addEventListener('hashchange', route);
route();
