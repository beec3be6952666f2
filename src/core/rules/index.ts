/** The rule catalogue, alphabetical by id. Each rule lives in `<id>.ts` with docs in docs/rules/<id>.md. */
import dnsNameUnresolved from './dns-name-unresolved';
import dnsPortNotExposed from './dns-port-not-exposed';
import dnsShortNameOtherNamespace from './dns-short-name-other-namespace';
import podSubdomainServiceMissing from './pod-subdomain-service-missing';
import type { Rule } from './rule';
import statefulsetServiceMissing from './statefulset-service-missing';

export const RULES: readonly Rule[] = [
  dnsNameUnresolved,
  dnsPortNotExposed,
  dnsShortNameOtherNamespace,
  podSubdomainServiceMissing,
  statefulsetServiceMissing,
];
