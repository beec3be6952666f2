/** The rule catalogue, alphabetical by id. Each rule lives in `<id>.ts` with docs in docs/rules/<id>.md. */
import cidrHostBits from './cidr-host-bits';
import cidrInvalid from './cidr-invalid';
import clusterIpDuplicate from './cluster-ip-duplicate';
import clusterIpOutsideServiceRange from './cluster-ip-outside-service-range';
import dnsNameUnresolved from './dns-name-unresolved';
import dnsPortNotExposed from './dns-port-not-exposed';
import dnsShortNameOtherNamespace from './dns-short-name-other-namespace';
import ipblockCoversCluster from './ipblock-covers-cluster';
import ipblockExceptOutsideCidr from './ipblock-except-outside-cidr';
import podServiceCidrOverlap from './pod-service-cidr-overlap';
import podSubdomainServiceMissing from './pod-subdomain-service-missing';
import poolOutsidePodCidr from './pool-outside-pod-cidr';
import serviceIpFamilyMismatch from './service-ip-family-mismatch';
import statefulsetServiceMissing from './statefulset-service-missing';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [
  cidrHostBits,
  cidrInvalid,
  clusterIpDuplicate,
  clusterIpOutsideServiceRange,
  dnsNameUnresolved,
  dnsPortNotExposed,
  dnsShortNameOtherNamespace,
  ipblockCoversCluster,
  ipblockExceptOutsideCidr,
  podServiceCidrOverlap,
  podSubdomainServiceMissing,
  poolOutsidePodCidr,
  serviceIpFamilyMismatch,
  statefulsetServiceMissing,
];
