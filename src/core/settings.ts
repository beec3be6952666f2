import { DEFAULT_MAX_FILE_SIZE } from './parse/manifest';

/** Settings the analysis reads. The extension maps `kubeNetlens.*` to these; the CLI uses flags. */
export interface AnalysisSettings {
  /** Cluster DNS zone when no manifest sets one (kubeadm `dnsDomain`, kubelet `clusterDomain`). */
  readonly clusterDomain: string;
  /** Pod CIDRs when no manifest defines them. */
  readonly podCIDRs: readonly string[];
  /** Service CIDRs when no manifest defines them. */
  readonly serviceCIDRs: readonly string[];
  /**
   * How `ipBlock` matches: `external` (the API's documented intent: only addresses outside the
   * cluster, never pods) or `all` (CNIs such as Calico that also match pod IPs inside the CIDR).
   */
  readonly ipBlockReading: 'external' | 'all';
  /** Files larger than this many characters are not analysed. */
  readonly maxFileSize: number;
  /**
   * The namespace objects without one are applied into (`kubectl apply -n`), when the repository does
   * not say (a kustomization, a Helm-rendered stream, an Argo CD Application); '' when unknown.
   */
  readonly defaultNamespace: string;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  clusterDomain: 'cluster.local',
  podCIDRs: [],
  serviceCIDRs: [],
  ipBlockReading: 'external',
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  defaultNamespace: '',
};
