/**
 * `selectorKey`: equal exactly for selectors written alike (matchLabels in any order, the same
 * requirements in the same order). Models and rule tables share one answer per key, so two
 * different selectors meeting on one key would give one of them the other's pods.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectorKey } from '../../src/core/net/selectors';
import type { LabelSelector, SelectorRequirement } from '../../src/core/parse/views/selectors';

function sel(matchLabels: Record<string, string>, matchExpressions: Array<Pick<SelectorRequirement, 'key' | 'operator' | 'values'>> = []): LabelSelector {
  return { present: true, span: undefined, matchLabels, matchLabelEntries: [], matchExpressions: matchExpressions as SelectorRequirement[] };
}

test('selectors written alike share a key, whatever the order of their labels', () => {
  assert.equal(selectorKey(sel({ app: 'web', tier: 'db' })), selectorKey(sel({ tier: 'db', app: 'web' })));
  const expr = [{ key: 'env', operator: 'In', values: ['prod'] }];
  assert.equal(selectorKey(sel({ app: 'web' }, expr)), selectorKey(sel({ app: 'web' }, [{ key: 'env', operator: 'In', values: ['prod'] }])));
  assert.equal(selectorKey(sel({})), selectorKey(sel({})));
});

test('different selectors never share a key, including labels that hold the separators', () => {
  const selectors = [
    sel({}),
    sel({ a: 'b' }),
    sel({ a: 'b', c: 'd' }),
    sel({ a: 'bc' }),
    sel({ ab: 'c' }),
    sel({ 'a\u0000b': 'c' }),
    sel({ a: 'b\u0000c\u0000d' }),
    sel({ a: 'b', c: 'd\u0000' }),
    sel({ '\u0001[]': 'x' }),
    sel({ '\u0002[[["a","b"]],[]]': 'x' }),
    sel({}, [{ key: 'a', operator: 'Exists', values: [] }]),
    sel({ a: 'b' }, [{ key: 'a', operator: 'Exists', values: [] }]),
    sel({}, [{ key: 'a', operator: 'In', values: ['b'] }]),
    sel({}, [{ key: 'a', operator: 'In', values: ['b'] }, { key: 'c', operator: 'Exists', values: [] }]),
    sel({}, [{ key: 'c', operator: 'Exists', values: [] }, { key: 'a', operator: 'In', values: ['b'] }]),
  ];
  const keys = selectors.map(selectorKey);
  assert.equal(new Set(keys).size, keys.length, keys.map(k => JSON.stringify(k)).join('\n'));
});
