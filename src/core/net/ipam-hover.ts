/**
 * Hover for CIDRs and IPs: the range facts of the value under the cursor (network, mask, first and
 * last address, size, canonical form), what it means in its role (nodes that fit a pod subnet,
 * Calico blocks in a pool, whether a clusterIP is in the service range, what an ipBlock matches
 * under the reading in force) and every known range that contains or overlaps it.
 */
import { pathMatches } from '../cursor';
import type { HoverContext, HoverResult } from '../hover/index';
import { code, escape, sourceLink } from '../hover/markdown';
import { parseIPOrCIDR } from './ip';
import { describeAddress, planEntriesIn, roleName, type AddressRelation, type PlanEntry, type PlanRole } from './ipam/index';

/** Fields that hold an IP or CIDR but define no part of the address plan. */
const OTHER_ADDRESS_PATHS: readonly (readonly string[])[] = [
  ['**', 'hostAliases', '*', 'ip'],
  ['**', 'dnsConfig', 'nameservers', '*'],
  ['subsets', '*', 'addresses', '*', 'ip'],
  ['subsets', '*', 'notReadyAddresses', '*', 'ip'],
  ['endpoints', '*', 'addresses', '*'],
  ['status', 'podIP'],
  ['status', 'podIPs', '*', 'ip'],
  ['status', 'hostIP'],
  ['status', 'hostIPs', '*', 'ip'],
  ['status', 'loadBalancer', 'ingress', '*', 'ip'],
  ['status', 'addresses', '*', 'address'],
  // Calico and Cilium policy peers.
  ['**', 'nets', '*'],
  ['**', 'notNets', '*'],
  ['**', 'toCIDR', '*'],
  ['**', 'fromCIDR', '*'],
  ['**', 'toCIDRSet', '*', 'cidr'],
  ['**', 'fromCIDRSet', '*', 'cidr'],
  ['**', 'cidr'],
  ['**', 'cidrs', '*'],
];

const MAX_RELATIONS = 8;

const RELATION_TEXT: Readonly<Record<AddressRelation['relation'], string>> = {
  equal: 'equals',
  contains: 'contains',
  inside: 'is inside',
};

/** The address-plan hover at the cursor, or undefined when the scalar is not an address. */
export function ipamHover(ctx: HoverContext): HoverResult | undefined {
  const { target, entry, offset, workspace } = ctx;
  if (target.onKey || !target.scalar) return undefined;
  const file = entry.manifest.file;
  const known = planEntriesIn(workspace, file).find(
    e => e.source && e.source.file === file && e.source.span.start <= offset && offset <= e.source.span.end,
  );
  if (known?.source) return render(ctx, known.value, known.role, known.source.span, known);
  const value = target.scalar.value;
  if (!OTHER_ADDRESS_PATHS.some(p => pathMatches(target.path, p))) return undefined;
  if (!parseIPOrCIDR(value).ok) return undefined;
  return render(ctx, value, undefined, target.scalar.span, undefined);
}

function render(ctx: HoverContext, value: string, role: PlanRole | undefined, span: HoverResult['span'], self: PlanEntry | undefined): HoverResult {
  const file = ctx.entry.manifest.file;
  const facts = describeAddress(ctx.workspace, value, role, { file, span });
  const title = role ? escape(capitalize(roleName(role))) : 'Address';
  const lines: string[] = [`**${title}** ${code(value)}`, ''];
  if (!facts.ok) {
    lines.push(`Invalid: ${escape(facts.error)}`);
    return { markdown: lines.join('\n'), span };
  }
  const fam = facts.family === 4 ? 'IPv4' : 'IPv6';
  if (facts.kind === 'ip') {
    lines.push(`- ${fam} address ${code(facts.canonical)}`);
  } else {
    const mask = facts.mask ? `, mask ${code(facts.mask)}` : '';
    lines.push(
      `- ${fam} network ${code(facts.network)}${mask} (/${facts.cidr.prefix})`,
      `- first ${code(facts.first)}, last ${code(facts.last)}`,
      `- ${facts.sizeText} address${facts.size === 1n ? '' : 'es'}`,
    );
  }
  if (facts.hostBitsSet) {
    lines.push(`- host bits are set after /${facts.cidr.prefix}: it means ${code(facts.canonical)}`);
  } else if (facts.canonical !== value) {
    lines.push(`- canonical form ${code(facts.canonical)}`);
  }
  if (self?.blockSize !== undefined) lines.push(`- blockSize /${self.blockSize}`);
  for (const n of facts.notes) lines.push('', n);
  if (facts.relations.length) {
    lines.push('', '**Known ranges**');
    for (const r of facts.relations.slice(0, MAX_RELATIONS)) {
      lines.push(`- ${RELATION_TEXT[r.relation]} ${escape(roleName(r.entry.role))} ${code(r.entry.value)} (${r.entry.source ? sourceLink(r.entry.source.file, r.entry.source.span, r.entry.source.line) : escape(r.entry.where)})`);
    }
    if (facts.relations.length > MAX_RELATIONS) lines.push(`- …and ${facts.relations.length - MAX_RELATIONS} more`);
  }
  return { markdown: lines.join('\n'), span };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
