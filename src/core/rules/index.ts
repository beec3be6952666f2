/** The rule catalogue, alphabetical by id. Each rule lives in `<id>.ts` with docs in docs/rules/<id>.md. */
import adminPassUnused from './admin-pass-unused';
import adminPolicyDuplicateName from './admin-policy-duplicate-name';
import adminPolicyInvalid from './admin-policy-invalid';
import adminPriorityOverlap from './admin-priority-overlap';
import adminRuleShadowed from './admin-rule-shadowed';
import cidrHostBits from './cidr-host-bits';
import cidrInvalid from './cidr-invalid';
import clusterIpDuplicate from './cluster-ip-duplicate';
import clusterIpOutsideServiceRange from './cluster-ip-outside-service-range';
import dnsNameUnresolved from './dns-name-unresolved';
import dnsPortNotExposed from './dns-port-not-exposed';
import dnsReferenceBlockedByPolicy from './dns-reference-blocked-by-policy';
import dnsShortNameOtherNamespace from './dns-short-name-other-namespace';
import ingressBackendMissing from './ingress-backend-missing';
import ingressBackendPortUndefined from './ingress-backend-port-undefined';
import ingressBlockedByPolicy from './ingress-blocked-by-policy';
import ipNonStandard from './ip-non-standard';
import ipblockCoversCluster from './ipblock-covers-cluster';
import ipblockExceptOutsideCidr from './ipblock-except-outside-cidr';
import manifestRejected from './manifest-rejected';
import multinetpolInvalid from './multinetpol-invalid';
import namespaceDuplicate from './namespace-duplicate';
import netpolDnsToAnywhere from './netpol-dns-to-anywhere';
import netpolDuplicateName from './netpol-duplicate-name';
import netpolEgressBlocksDns from './netpol-egress-blocks-dns';
import netpolEgressNotIsolated from './netpol-egress-not-isolated';
import netpolEmptyPeer from './netpol-empty-peer';
import netpolEndportInvalid from './netpol-endport-invalid';
import netpolIpblockWithSelector from './netpol-ipblock-with-selector';
import netpolNamedPortUndefined from './netpol-named-port-undefined';
import netpolNamedPortWithIpblock from './netpol-named-port-with-ipblock';
import netpolNamespaceLabelUnknown from './netpol-namespace-label-unknown';
import netpolOverriddenByAdminDeny from './netpol-overridden-by-admin-deny';
import netpolPeerMatchesNothing from './netpol-peer-matches-nothing';
import netpolPeerOrLooksLikeAnd from './netpol-peer-or-looks-like-and';
import netpolPortIsServicePort from './netpol-port-is-service-port';
import netpolSelectorMatchesNothing from './netpol-selector-matches-nothing';
import podNetworksAnnotationInvalid from './pod-networks-annotation-invalid';
import podOwnerLabelsGap from './pod-owner-labels-gap';
import podServiceCidrOverlap from './pod-service-cidr-overlap';
import podSubdomainServiceMissing from './pod-subdomain-service-missing';
import poolOutsidePodCidr from './pool-outside-pod-cidr';
import serviceIpFamilyMismatch from './service-ip-family-mismatch';
import serviceSelectorMatchesNothing from './service-selector-matches-nothing';
import serviceTargetPortUndefined from './service-target-port-undefined';
import statefulsetServiceMissing from './statefulset-service-missing';
import workloadNotIsolated from './workload-not-isolated';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [
  adminPassUnused,
  adminPolicyDuplicateName,
  adminPolicyInvalid,
  adminPriorityOverlap,
  adminRuleShadowed,
  cidrHostBits,
  cidrInvalid,
  clusterIpDuplicate,
  clusterIpOutsideServiceRange,
  dnsNameUnresolved,
  dnsPortNotExposed,
  dnsReferenceBlockedByPolicy,
  dnsShortNameOtherNamespace,
  ingressBackendMissing,
  ingressBackendPortUndefined,
  ingressBlockedByPolicy,
  ipNonStandard,
  ipblockCoversCluster,
  ipblockExceptOutsideCidr,
  manifestRejected,
  multinetpolInvalid,
  namespaceDuplicate,
  netpolDnsToAnywhere,
  netpolDuplicateName,
  netpolEgressBlocksDns,
  netpolEgressNotIsolated,
  netpolEmptyPeer,
  netpolEndportInvalid,
  netpolIpblockWithSelector,
  netpolNamedPortUndefined,
  netpolNamedPortWithIpblock,
  netpolNamespaceLabelUnknown,
  netpolOverriddenByAdminDeny,
  netpolPeerMatchesNothing,
  netpolPeerOrLooksLikeAnd,
  netpolPortIsServicePort,
  netpolSelectorMatchesNothing,
  podNetworksAnnotationInvalid,
  podOwnerLabelsGap,
  podServiceCidrOverlap,
  podSubdomainServiceMissing,
  poolOutsidePodCidr,
  serviceIpFamilyMismatch,
  serviceSelectorMatchesNothing,
  serviceTargetPortUndefined,
  statefulsetServiceMissing,
  workloadNotIsolated,
];
