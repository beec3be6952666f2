/**
 * `connectivity --explain` against np-guard's explain goldens, line for line: every
 * `*_explain_output.txt` of corpus/connectivity and corpus/connectivity-explain, with the flags its
 * case's `args` file names (focus workloads, focus direction, focus connection, explain-only).
 * The admin-tier goldens of corpus/connectivity-admin (AdminNetworkPolicy, BaselineAdminNetworkPolicy
 * with NetworkPolicies: allow, deny and pass by priority) are checked the same way.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { main } from '../../src/cli/main';
import { explainedPairs, formatExplain, parseFocusConn, type ExplainOptions } from '../../src/core/net/policy/format-explain';
import { connectivity } from '../../src/core/net/policy/index';
import { explainPair } from '../../src/core/net/policy/explain';
import { blocks, evaluatedAsItself, governedByPolicy, verdictUncertain } from '../../src/core/net/policy/reach';
import { allowedConns, type Segment } from '../../src/core/net/policy/why';
import type { Protocol } from '../../src/core/parse/views/protocol';
import { CORPUS } from './corpus';

interface Golden { set: string; name: string; file: string; options: ExplainOptions; flags: string[] }

function goldens(set: string): Golden[] {
  const root = path.join(CORPUS, set);
  const out: Golden[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    if (!fs.existsSync(path.join(root, name, 'input'))) continue;
    const args = path.join(root, name, 'args');
    const lines = fs.existsSync(args) ? fs.readFileSync(args, 'utf8').split('\n').filter(l => l.startsWith('golden=') && /\bexplain=true\b/.test(l)) : [];
    if (lines.length === 0 && fs.existsSync(path.join(root, name, 'expected', `${name}_explain_output.txt`))) {
      lines.push(`golden=${name}_explain_output.txt format=txt explain=true`);
    }
    for (const line of lines) {
      const kv = Object.fromEntries(line.trim().split(/\s+/).map(x => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));
      const options: ExplainOptions = {
        reading: 'external',
        focusWorkloads: kv.focusworkload?.split(','),
        focusWorkloadPeers: kv['focusworkload-peer']?.split(','),
        focusDirection: kv['focus-direction'] as ExplainOptions['focusDirection'],
        focusConn: kv['focus-conn'] ? parseFocusConn(kv['focus-conn']) : undefined,
        explainOnly: kv['explain-only'] as ExplainOptions['explainOnly'],
      };
      const flags = Object.entries(kv)
        .filter(([k]) => !['golden', 'format', 'explain'].includes(k))
        .flatMap(([k, v]) => [`--${k.replace(/^focusworkload/, 'focus-workload')}`, v!]);
      out.push({ set, name, file: kv.golden!, options, flags });
    }
  }
  return out;
}

const plain = [...goldens('connectivity'), ...goldens('connectivity-explain')];
const admin = goldens('connectivity-admin');

test('the explain goldens are present', () => {
  assert.ok(plain.length >= 9, `expected np-guard explain goldens under ${CORPUS}`);
  assert.ok(plain.some(g => g.options.focusConn && g.options.explainOnly), 'a golden with --focus-conn and --explain-only');
});

for (const g of plain) {
  test(`np-guard explain conformance: ${g.set}/${g.file}`, () => {
    const { workspace } = loadPaths([path.join(CORPUS, g.set, g.name, 'input')]);
    const expected = fs.readFileSync(path.join(CORPUS, g.set, g.name, 'expected', g.file), 'utf8').replace(/\r\n/g, '\n');
    assert.equal(formatExplain(workspace, g.options), expected);
  });
}

for (const g of admin) {
  test(`np-guard explain conformance (admin tiers): ${g.set}/${g.file}`, () => {
    const { workspace } = loadPaths([path.join(CORPUS, g.set, g.name, 'input')]);
    const expected = fs.readFileSync(path.join(CORPUS, g.set, g.name, 'expected', g.file), 'utf8').replace(/\r\n/g, '\n');
    assert.equal(formatExplain(workspace, g.options), expected);
  });
}

test('the CLI passes the args files\' flags with np-guard\'s meaning and prints the golden', async () => {
  const withFlags = [...plain, ...admin].filter(g => g.flags.length > 0);
  assert.ok(withFlags.length >= 1);
  for (const g of withFlags) {
    const out: string[] = [];
    const code = await main(['connectivity', path.join(CORPUS, g.set, g.name, 'input'), '--explain', ...g.flags], { out: l => out.push(l), err: () => {} });
    assert.equal(code, 0);
    const expected = fs.readFileSync(path.join(CORPUS, g.set, g.name, 'expected', g.file), 'utf8');
    assert.equal(out.join('\n') + '\n', expected, g.file);
  }
});

test('--explain-only and --focus-conn are checked: bad values are usage errors', async () => {
  const dir = path.join(CORPUS, 'connectivity', 'acs-security-demos', 'input');
  const run = async (...argv: string[]) => main(['connectivity', dir, ...argv], { out: () => {}, err: () => {} });
  assert.equal(await run('--explain', '--explain-only', 'maybe'), 2);
  assert.equal(await run('--explain', '--focus-conn', 'tcp'), 2);
  assert.equal(await run('--explain-only', 'deny'), 2);
  assert.equal(await run('--explain', '--focus-conn', 'udp-5353', '--explain-only', 'deny'), 0);
});

test('our extra facts are off by default and, with extraFacts, follow each pair with an address range', () => {
  const { workspace } = loadPaths([path.join(CORPUS, 'connectivity', 'ipblockstest', 'input')]);
  const plainText = formatExplain(workspace, { reading: 'external' });
  assert.ok(!plainText.includes('kube-netlens'));
  const withFacts = formatExplain(workspace, { reading: 'external', extraFacts: true });
  const notes = withFacts.split('\n').filter(l => l.startsWith('Note (kube-netlens): ipBlock reading: external'));
  const externalPairs = plainText.split('\n').filter(l => /^Connections between .*\[External\]/.test(l));
  assert.ok(externalPairs.length > 0);
  assert.equal(notes.length, externalPairs.length);
  // Removing the notes gives np-guard's text back.
  assert.equal(withFacts.replace(/Note \(kube-netlens\): [^\n]*\n\n/g, ''), plainText);
});

test('the explanation objects carry the deciding rules with their tier, object and rule', () => {
  const { workspace } = loadPaths([path.join(CORPUS, 'connectivity', 'acs-security-demos', 'input')]);
  const pairs = explainedPairs(workspace, { reading: 'external', focusWorkloads: ['frontend/webapp'], focusWorkloadPeers: ['backend/checkout'] });
  const w = pairs.find(p => p.src.id === 'frontend/webapp[Deployment]' && p.dst.id === 'backend/checkout[Deployment]')!;
  assert.ok(w);
  const seg = w.ingress.at('TCP', 8080);
  assert.equal(seg.allowed, true);
  const rule = seg.rules.rules[0]!;
  assert.equal(rule.tier, 'networkpolicy');
  assert.equal(rule.kind, 'NetworkPolicy');
  assert.equal(rule.object?.name, 'checkout-netpol');
  assert.equal(rule.rule?.index, 0);
  assert.equal(rule.text, "NetworkPolicy 'backend/checkout-netpol' allows connections by Ingress rule #1");
  assert.equal(w.ingress.at('TCP', 8081).allowed, false);
  assert.equal(w.egress.at('UDP', 5353).rules.byKind()[0]!.kind, 'NetworkPolicy');
});

test('the explanation allows exactly what the engine allows, on every pair of corpus cases and the realworld repositories', () => {
  for (const dir of ['connectivity/ipblockstest/input', 'connectivity/acs-security-demos/input', 'connectivity/test_with_named_ports/input', 'realworld']) {
    const { workspace } = loadPaths([path.join(CORPUS, dir)]);
    const listed = new Map(connectivity(workspace, { ipBlockReading: 'external' }).connections.map(c => [`${c.src.id} ${c.dst.id}`, c.conns.toString()]));
    let checked = 0;
    for (const w of explainedPairs(workspace, { reading: 'external' })) {
      const conns = allowedConns(w);
      assert.equal(conns.isEmpty() ? undefined : conns.toString(), listed.get(`${w.src.id} ${w.dst.id}`), `${dir}: ${w.src.id} => ${w.dst.id}`);
      checked++;
    }
    assert.ok(checked >= listed.size, dir);
  }
});

test('on every connectivity-admin case the tiered explanation, explain() and blocks() agree with the engine', () => {
  let pairs = 0;
  let blocked = 0;
  let adminDecided = 0;
  for (const name of fs.readdirSync(path.join(CORPUS, 'connectivity-admin')).sort()) {
    const dir = path.join(CORPUS, 'connectivity-admin', name, 'input');
    if (!fs.existsSync(dir)) continue;
    const { workspace } = loadPaths([dir]);
    const listed = new Map(connectivity(workspace, { ipBlockReading: 'external' }).connections.map(c => [`${c.src.id} ${c.dst.id}`, c.conns.toString()]));
    const explained = explainedPairs(workspace, { reading: 'external' });
    assert.ok(explained.length >= listed.size, name);
    for (const w of explained) {
      const where = `${name}: ${w.src.id} => ${w.dst.id}`;
      const conns = allowedConns(w);
      assert.equal(conns.isEmpty() ? undefined : conns.toString(), listed.get(`${w.src.id} ${w.dst.id}`), where);
      const e = explainPair(workspace, w.src, w.dst, 'external');
      assert.equal(e.conns.toString(), conns.toString(), `explain(): ${where}`);
      pairs++;
      if (w.src.kind !== 'workload' || w.dst.kind !== 'workload') continue;
      const src = w.src.workload;
      const dst = w.dst.workload;
      const certain = governedByPolicy(src) && governedByPolicy(dst) && evaluatedAsItself(workspace, src) && evaluatedAsItself(workspace, dst)
        && !verdictUncertain(workspace, src, 'egress', true) && !verdictUncertain(workspace, dst, 'ingress', true);
      // One port per segment of each direction: the first of each range the explanation cuts.
      for (const [protocol, segs] of Object.entries(w.egress.pairWith(w.ingress)) as Array<[Protocol, Array<{ first: number; e: Segment; i: Segment }>]>) {
        for (const s of segs) {
          const b = blocks(workspace, src, dst, protocol, s.first);
          const at = `${where} ${protocol}/${s.first}`;
          if (s.e.allowed && s.i.allowed) { assert.deepEqual(b, [], at); continue; }
          if (!certain) continue;
          assert.deepEqual(b.map(x => x.direction), [...(s.e.allowed ? [] : ['egress']), ...(s.i.allowed ? [] : ['ingress'])], at);
          blocked++;
          for (const x of b) {
            if (!x.decidedBy) continue;
            adminDecided++;
            const seg = x.direction === 'egress' ? s.e : s.i;
            // The admin or baseline rule blocks() names is the one the explanation gives for the port.
            assert.ok(seg.rules.rules.some(r => r.object === x.decidedBy!.policy.object && r.text.includes(` denies connections by `)
              && r.text.endsWith(` rule ${x.decidedBy!.rule.name?.value ?? ''}`)), at);
          }
        }
      }
    }
  }
  assert.ok(pairs > 500 && blocked > 50 && adminDecided > 20, `${pairs} pairs, ${blocked} blocked ports, ${adminDecided} admin-decided`);
});

test('list output under the focus options: the dot draws only the focus workloads and their focus peers, as np-guard', async () => {
  const dir = path.join(CORPUS, 'connectivity', 'acs-security-demos', 'input');
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    assert.equal(await main(['connectivity', dir, ...argv], { out: l => out.push(l), err: () => {} }), 0);
    return out.join('\n');
  };
  const nodes = (dot: string) => [...dot.matchAll(/^\t+"([^"]+)" \[label=/gm)].map(m => m[1]).sort();
  const edges = (dot: string) => [...dot.matchAll(/^\t"([^"]+)" -> "([^"]+)"/gm)].map(m => `${m[1]} -> ${m[2]}`);
  // Without focus: every workload of the input is a node.
  const all = await run('-o', 'dot');
  assert.ok(nodes(all).length > 8);
  // checkout's ingress from webapp: two nodes, one edge.
  const one = await run('-o', 'dot', '--focus-workload', 'checkout', '--focus-workload-peer', 'webapp', '--focus-direction', 'ingress');
  assert.deepEqual(nodes(one), ['backend/checkout[Deployment]', 'frontend/webapp[Deployment]']);
  assert.deepEqual(edges(one), ['frontend/webapp[Deployment] -> backend/checkout[Deployment]']);
  // A focus peer with no connection to the focus workloads is still drawn (np-guard lists the focus peers); other workloads are not.
  const two = await run('-o', 'dot', '--focus-workload', 'backend/checkout,frontend/webapp', '--focus-workload-peer', 'backend/recommendation');
  assert.deepEqual(nodes(two), ['backend/checkout[Deployment]', 'backend/recommendation[Deployment]', 'frontend/webapp[Deployment]']);
  for (const e of edges(two)) assert.ok(e.includes('backend/recommendation[Deployment]'), e);
  // Focus workloads alone: themselves, and whatever their connections reach (externals included).
  const three = await run('-o', 'dot', '--focus-workload', 'checkout');
  const reached = new Set(edges(three).flatMap(e => e.split(' -> ')));
  assert.deepEqual(nodes(three), [...new Set([...reached, 'backend/checkout[Deployment]'])].sort());
  assert.ok(nodes(three).length < nodes(all).length);
  // The txt output keeps the same pairs.
  assert.equal((await run('--focus-workload', 'checkout', '--focus-workload-peer', 'webapp', '--focus-direction', 'ingress')).trim(),
    'frontend/webapp[Deployment] => backend/checkout[Deployment] : TCP 8080');
});
