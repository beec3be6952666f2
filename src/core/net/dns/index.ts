/** Kubernetes DNS over a workspace: records, resolution as a pod does it, and the names manifests use. */
export { dnsNamesOf, lookupFqdn, podDnsNamesOf, type DnsName, type DnsTarget, type LookupAnswer, type PerPod, type RecordType } from './records';
export { resolveName, resolvePort, resolverConfig, searchCandidates, type PortResolution, type Resolution, type ResolutionStep, type ResolverConfig } from './resolve';
export { dnsReferences, dnsReferencesInFile, resolveReference, type DnsReference, type DnsReferenceSource } from './references';
