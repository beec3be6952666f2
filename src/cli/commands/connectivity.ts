import { choice, LOAD_OPTIONS, LOAD_USAGE, loadSettings, parse, UsageError } from '../args';
import type { CliIO, Command } from '../command';
import { loadProject, RENDER_OPTIONS, RENDER_USAGE, renderFlags, reportSkipped, skippedIn, warnRenderProblems, worldsOf } from '../load';
import type { Workspace } from '../../core/workspace';
import { DEFAULT_SETTINGS } from '../../core/settings';
import {
  connectivity as connectivityOf, CONNECTIVITY_FORMATS, focusConnReport, formatConnectivity, readingSentence,
} from '../../core/net/policy/index';
import { formatExplain, focusedLayout, focusedReport, parseFocusConn, type ExplainOptions } from '../../core/net/policy/format-explain';
import { networkLayout } from '../../core/net/policy/network-layout';
import { unmatchedNamedPorts } from '../../core/net/policy/secondary';
import type { ConnectivityReport } from '../../core/net/policy/evaluate';
import { unevaluatedAdminRules } from '../../core/net/policy/admin';
import { unevaluatedRuleText } from '../../core/net/policy/explain';
import { thirdPartyPolicies, thirdPartyTitle } from '../../core/net/policy/thirdparty';
import { modelOf } from '../../core/net/policy/model';
import multinetpolInvalid from '../../core/rules/multinetpol-invalid';
import podNetworksAnnotationInvalid from '../../core/rules/pod-networks-annotation-invalid';
import { checkFile } from '../../core/rules/run';

const READINGS = ['external', 'all'] as const;

/**
 * The secondary-network input np-guard refuses (a MultiNetworkPolicy without policy-for or with a
 * peer it rejects, a pod networks annotation that does not parse), as warnings at the file, line and
 * column: the analysis reads such a policy as applying to no network, such a peer as selecting
 * nothing, such a pod as attached to none.
 */
function warnSecondaryNetworkInput(workspace: Workspace, io: CliIO): void {
  const rules = [multinetpolInvalid, podNetworksAnnotationInvalid];
  const ids = new Set(rules.map(r => r.id));
  for (const file of workspace.fileNames) {
    const lines = workspace.get(file)?.manifest.lines;
    // checkFile also returns the file's parse problems, which are not these rules' to report.
    for (const f of checkFile(workspace, file, {}, rules).filter(x => ids.has(x.rule))) {
      const at = lines?.position(f.span.start);
      io.err(`warning: ${file}${at ? `:${at.line + 1}:${at.character + 1}` : ''}: ${f.message} [${f.rule}]`);
    }
  }
}
/**
 * np-guard's warning on a MultiNetworkPolicy's named port that a destination pod on the network does
 * not define (`port name: "web" has no match in the configuration of the destination peer "ns/pod"`),
 * at the port's file, line and column.
 */
function warnUnmatchedNamedPorts(workspace: Workspace, report: ConnectivityReport, io: CliIO): void {
  const workloads = report.peers.flatMap(p => (p.kind === 'workload' ? [p.workload] : []));
  for (const u of unmatchedNamedPorts(workspace, workloads)) {
    const file = u.policy.object.file;
    const at = u.port.portSpan && workspace.get(file)?.manifest.lines.position(u.port.portSpan.start);
    io.err(`warning: ${file}${at ? `:${at.line + 1}:${at.character + 1}` : ''}: ${u.message}`);
  }
}
const DIRECTIONS = ['ingress', 'egress'] as const;
const EXPLAIN_ONLY = ['allow', 'deny'] as const;

/** A repeatable, comma-separated option (np-guard's string slices). */
function list(...values: unknown[]): string[] | undefined {
  const out = values.flatMap(v => (Array.isArray(v) ? v : v === undefined ? [] : [v])).flatMap(v => String(v).split(',')).map(v => v.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

/**
 * `kube-netlens connectivity PATH...`: the allowed connections between every pair of workloads and
 * external address ranges, in netpol-analyzer's `list` formats; with `--explain`, why each pair is
 * allowed or denied, in its `list --explain` layout. The ipBlock reading in force goes to stderr so
 * stdout stays byte-compatible with np-guard. Kustomize overlays and Helm charts under PATH are
 * rendered; each render is its own set of workloads (alternatives are never merged): with more than
 * one, each gets a `# <overlay or chart>` heading, and loose manifests come first.
 */
export const connectivity = {
  name: 'connectivity',
  docs: 'docs/cli/connectivity.md',
  summary: 'list allowed connections between workloads and external ranges (np-guard list formats, --explain)',
  usage: 'kube-netlens connectivity PATH... [-o txt|json|csv|md|dot] [--explain [--explain-only allow|deny]] [--focus-conn PROTO-PORT]'
    + ' [--explain-facts] [--multiple-networks] [--focus-workload W,...] [--focus-workload-peer W,...] [--focus-direction ingress|egress] [--ipblock-reading external|all]'
    + ` [render options]\n\n${RENDER_USAGE}\n${LOAD_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...RENDER_OPTIONS,
      ...LOAD_OPTIONS,
      output: { type: 'string', short: 'o' },
      explain: { type: 'boolean' },
      'explain-only': { type: 'string' },
      'focus-workload': { type: 'string', multiple: true },
      focusworkload: { type: 'string', multiple: true },
      'focus-workload-peer': { type: 'string', multiple: true },
      'focusworkload-peer': { type: 'string', multiple: true },
      'focus-direction': { type: 'string' },
      'focus-conn': { type: 'string' },
      'ipblock-reading': { type: 'string' },
      'explain-facts': { type: 'boolean' },
      'multiple-networks': { type: 'boolean' },
    });
    const format = choice(values.output, 'output', CONNECTIVITY_FORMATS, 'txt');
    const reading = choice(values['ipblock-reading'], 'ipblock-reading', READINGS, 'external');
    if (values.explain && format !== 'txt') throw new UsageError('--explain prints text: use it with -o txt');
    const focusWorkloads = list(values['focus-workload'], values.focusworkload);
    let focusWorkloadPeers = list(values['focus-workload-peer'], values['focusworkload-peer']);
    let focusDirection = values['focus-direction'] === undefined ? undefined : choice(values['focus-direction'], 'focus-direction', DIRECTIONS, 'ingress');
    // As np-guard: without --focus-workload these two are ignored, with a warning.
    if (!focusWorkloads) {
      if (focusDirection) io.err('warning: --focus-direction may be used only with --focus-workload, will be ignored');
      if (focusWorkloadPeers) io.err('warning: --focus-workload-peer may be used only with --focus-workload, will be ignored');
      focusDirection = undefined;
      focusWorkloadPeers = undefined;
    }
    const explainOnly = values['explain-only'] === undefined ? undefined : choice(values['explain-only'], 'explain-only', EXPLAIN_ONLY, 'allow');
    if (explainOnly && !values.explain) throw new UsageError('--explain-only needs --explain');
    if (values['explain-facts'] && !values.explain) throw new UsageError('--explain-facts needs --explain');
    const focusConnText = values['focus-conn'] as string | undefined;
    const focusConn = focusConnText === undefined ? undefined : parseFocusConn(focusConnText);
    if (focusConnText !== undefined && !focusConn) throw new UsageError(`--focus-conn must be <protocol>-<port>, e.g. tcp-8080 (got ${focusConnText})`);
    const options: ExplainOptions = {
      reading, focusWorkloads, focusWorkloadPeers, focusDirection, focusConn, explainOnly, extraFacts: values['explain-facts'] === true,
      multipleNetworks: values['multiple-networks'] === true,
    };
    const { project, warnings } = await loadProject(positionals, loadSettings(values, { ...DEFAULT_SETTINGS, ipBlockReading: reading }), renderFlags(values));
    for (const w of warnings) io.err(`warning: ${w}`);
    warnRenderProblems(project, io);
    reportSkipped({ skipped: worldsOf(project).flatMap(w => skippedIn(w.workspace)) }, line => io.err(line));
    const worlds = worldsOf(project);
    for (const [i, world] of worlds.entries()) {
      if (worlds.length > 1) io.out(`${i ? '\n' : ''}# ${world.label}`);
      this.runOne(world.workspace, format, values.explain === true, options, io, i === 0);
    }
    return 0;
  },
  runOne(workspace: Workspace, format: (typeof CONNECTIVITY_FORMATS)[number], explainAll: boolean, options: ExplainOptions, io: CliIO, first: boolean): void {
    const report = connectivityOf(workspace);
    if (first) io.err(`note: ${readingSentence(report.reading)}`);
    warnSecondaryNetworkInput(workspace, io);
    warnUnmatchedNamedPorts(workspace, report, io);
    const others = thirdPartyPolicies(workspace);
    if (others.length) {
      const one = others.length === 1;
      io.err(`note: ${others.slice(0, 3).map(thirdPartyTitle).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''} ${one ? 'is' : 'are'} not evaluated, so the connections of the pods ${one ? 'it selects' : 'they select'} may differ from those listed`);
    }
    const unevaluated = unevaluatedAdminRules(modelOf(workspace, report.reading).admin);
    if (unevaluated.length) {
      io.err(`note: not evaluated offline, so the lines toward external addresses may differ for the addresses they stand for: ${unevaluated.map(unevaluatedRuleText).join(', ')}`);
    }
    if (!explainAll) {
      const focused = focusedReport(report, options);
      const layout = focusedLayout(networkLayout(workspace, report, options.multipleNetworks), options);
      const text = options.focusConn
        ? formatConnectivity(focusConnReport(focused, options.focusConn), format, layout, options.focusConn)
        : formatConnectivity(focused, format, layout);
      if (text) io.out(text);
      return;
    }
    const text = formatExplain(workspace, options);
    if (text) io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
  },
} satisfies Command & { runOne(...args: unknown[]): void };
