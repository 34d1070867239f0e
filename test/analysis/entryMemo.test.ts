// Per-edit cost of execution contexts: each function's own entry is worked out once per analysis, calls outside resolvers ask no context, and the queue-consumer check's text prefilter answers like the walk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { ExecutionContexts } from '../../rules/analysis/executionContext';
import { isQueueConsumerLoop } from '../../rules/analysis/queueConsumer';
import type { FunctionRef } from '../../rules/analysis/summaries';
import { AnalysisSession } from '../../server/engine';
import { dedent } from '../rules/ruleTester';
import { fileOf, functionAt, project } from './project';

describe('execution contexts: one entry look-up per function', () => {
  it('inline callbacks of one wrapper ask the wrapper its entry once, however many questions reach it', () => {
    const callbacks = Array.from({ length: 30 }, (_, k) => `  list.forEach((item${k}) => use(item${k}));`).join('\n');
    const path = '/app/src/wrapper.js';
    const analysis = project({ [path]: `(function wrapper(list) {\n${callbacks}\n})([]);\n` });
    const asked = new Map<ts.Node, number>();
    const contexts = new ExecutionContexts({
      callersOf: (fn) => analysis.callersOf(fn),
      registeredEntry: (fn) => {
        asked.set(fn.node, (asked.get(fn.node) ?? 0) + 1);
        return analysis.registeredEntry(fn);
      },
    });
    const file = fileOf(analysis, path);
    for (let k = 0; k < 30; k++) contexts.of(functionAt(analysis, path, `(item${k})`));
    const wrapper = functionAt(analysis, path, 'function wrapper');
    assert.equal(asked.get(wrapper.node), 1);
    assert.equal(contexts.ofNode(file, wrapper.node.body!).heat, contexts.of({ file, node: wrapper.node }).heat);
  });
});

describe('n-plus-one field resolvers: no context question for calls outside resolvers', () => {
  it('a file without resolvers asks no execution context per call', () => {
    const of = ExecutionContexts.prototype.of;
    let asked = 0;
    ExecutionContexts.prototype.of = function (this: ExecutionContexts, fn: FunctionRef) {
      asked++;
      return of.call(this, fn);
    };
    try {
      const calls = Array.from({ length: 20 }, (_, k) => `  helper${k}(x);`).join('\n');
      const session = new AnalysisSession();
      session.upsertFile('/app/src/plain.js', `function main(x) {\n${calls}\n}\nmodule.exports = { main };\n`);
      assert.equal(session.analyzeFile('/app/src/plain.js').findings.length, 0);
      assert.equal(asked, 0);
    } finally {
      ExecutionContexts.prototype.of = of;
    }
  });
});

describe('queue consumers: the text prefilter', () => {
  const consumer = (path: string, text: string, start: string): boolean => {
    const fn: FunctionRef = functionAt(project({ [path]: text }), path, start);
    return isQueueConsumerLoop(fn.node);
  };

  it('a loop over a blocking pop is a consumer; a pop outside a loop, in a nested function or in a string is not', () => {
    const text = dedent`
      const redis = new (require('ioredis'))();
      async function worker() {
        while (true) await redis.brpop('jobs', 5);
      }
      async function once() {
        const label = 'brpop';
        return redis.brpop(label, 5);
      }
      async function outer() {
        for (;;) {
          const later = () => redis.blpop('jobs', 5);
          await later;
        }
      }
      async function other() {
        for (;;) await redis.get('brpop');
      }
    `;
    const path = '/app/src/worker.js';
    assert.equal(consumer(path, text, 'async function worker'), true);
    assert.equal(consumer(path, text, 'async function once'), false);
    assert.equal(consumer(path, text, 'async function outer'), false);
    assert.equal(consumer(path, text, 'async function other'), false);
  });

  it('a pop named with a unicode escape, in a file that spells it nowhere, is still found', () => {
    const text = dedent`
      const redis = new (require('ioredis'))();
      async function worker() {
        for (;;) await redis.POP('jobs', 5);
      }
    `.replace('POP', 'br\\u0070op');
    assert.ok(text.includes('br\\u0070op') && !text.includes('brpop'));
    assert.equal(consumer('/app/src/escaped.js', text, 'async function worker'), true);
  });
});
