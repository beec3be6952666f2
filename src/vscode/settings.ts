/** Reads `kubeNetlens.*` settings into the core's shapes. */
import * as vscode from 'vscode';
import type { RuleSettings } from '../core/rules/run';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/settings';

export const SECTION = 'kubeNetlens';

export interface ExtensionSettings {
  readonly analysis: AnalysisSettings;
  readonly rules: RuleSettings;
  readonly run: 'onType' | 'onSave';
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly maxFiles: number;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const strings = (key: string): string[] => (c.get<unknown[]>(key) ?? []).filter((s): s is string => typeof s === 'string');
  const reading = c.get<string>('ipBlockReading');
  const sizeKb = c.get<number>('maxFileSizeKB');
  return {
    analysis: {
      clusterDomain: c.get<string>('clusterDomain')?.trim() || DEFAULT_SETTINGS.clusterDomain,
      podCIDRs: strings('podCIDRs'),
      serviceCIDRs: strings('serviceCIDRs'),
      ipBlockReading: reading === 'all' ? 'all' : 'external',
      maxFileSize: typeof sizeKb === 'number' && sizeKb > 0 ? sizeKb * 1024 : DEFAULT_SETTINGS.maxFileSize,
      defaultNamespace: c.get<string>('defaultNamespace')?.trim() ?? '',
    },
    rules: (c.get<RuleSettings>('rules') ?? {}),
    run: c.get<string>('run') === 'onSave' ? 'onSave' : 'onType',
    include: strings('include'),
    exclude: strings('exclude'),
    maxFiles: c.get<number>('maxFiles') ?? 20000,
  };
}
