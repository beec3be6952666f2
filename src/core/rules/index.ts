/** The rule catalogue, alphabetical by id. Each rule lives in `<id>.ts` with docs in docs/rules/<id>.md. */
import cidrHostBits from './cidr-host-bits';
import cidrInvalid from './cidr-invalid';
import clusterIpDuplicate from './cluster-ip-duplicate';
import clusterIpOutsideServiceRange from './cluster-ip-outside-service-range';
import ipblockCoversCluster from './ipblock-covers-cluster';
import ipblockExceptOutsideCidr from './ipblock-except-outside-cidr';
import podServiceCidrOverlap from './pod-service-cidr-overlap';
import poolOutsidePodCidr from './pool-outside-pod-cidr';
import serviceIpFamilyMismatch from './service-ip-family-mismatch';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [
  cidrHostBits,
  cidrInvalid,
  clusterIpDuplicate,
  clusterIpOutsideServiceRange,
  ipblockCoversCluster,
  ipblockExceptOutsideCidr,
  podServiceCidrOverlap,
  poolOutsidePodCidr,
  serviceIpFamilyMismatch,
];
