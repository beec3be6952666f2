import { labelsSetAtRuntime } from '../net/rbac';
import { objectRef } from '../parse/manifest';
import { hasPlaceholder } from '../parse/validate';
import { namedPortsOf } from '../parse/views/workload';
import { defineRule, type Fix } from './rule';
import { mayServePort, namedPortProtocols, serviceOf } from './support/select';
import { scalarReplacement } from './support/emit';
import { closestName, nameList } from './support/text';

/** A named targetPort that no selected pod defines. */
export default defineRule({
  id: 'service-target-port-undefined',
  severity: 'warning',
  kinds: ['Service'],
  docs: {
    summary: 'A Service\'s named targetPort is not a container port name (with that protocol) of any pod it selects.',
    rationale: 'A named targetPort is resolved on each endpoint pod; a pod without that port name is left out of the endpoints, so the Service port has no backends. The rule looks only at pods the workspace defines and the Service selects.',
  },
  check(object, ctx) {
    const s = serviceOf(ctx.entry, object);
    if (!s) return;
    // Pods selected only once they label themselves may not be the Service's real backends.
    const pods = ctx.workspace.workloadsOfService(s).filter(w => !labelsSetAtRuntime(s.selector.matchLabels, w).length);
    if (!pods.length) return;
    const text = ctx.entry.manifest.text;
    for (const sp of s.ports) {
      if (typeof sp.targetPort !== 'string' || !sp.targetPortSpan) continue;
      const name = sp.targetPort;
      // `${PORT}` is filled in before the Service is applied (envsubst): its name is unknown.
      if (hasPlaceholder(name)) continue;
      const protocol = sp.protocol ?? 'TCP';
      if (mayServePort(pods, name, protocol)) continue;
      const where = nameList(pods.map(w => objectRef(w.object)), 3);
      const other = [...new Set(pods.flatMap(w => namedPortProtocols(w, name)))];
      const names = pods.flatMap(w => namedPortsOf(w).filter(p => p.name && (p.protocol ?? 'TCP') === protocol).map(p => p.name!));
      // A port defined under another protocol wants a protocol change, not another name.
      const guess = other.length ? undefined : closestName(name, names) ?? (new Set(names).size === 1 ? names[0] : undefined);
      const fixes: Fix[] = guess
        ? [{ title: `Use container port ${guess}`, preferred: true, edits: [{ file: object.file, span: sp.targetPortSpan, newText: scalarReplacement(text, sp.targetPortSpan, guess) }] }]
        : [];
      ctx.report({
        span: sp.targetPortSpan,
        message: other.length
          ? `targetPort "${name}" is ${other.join('/')} on ${where}, not ${protocol}, so this Service port has no endpoints.`
          : `targetPort "${name}" is not a container port name of ${where}${guess ? ` (did you mean "${guess}"?)` : ''}, so this Service port has no endpoints.`,
        fixes,
      });
    }
  },
});
