/** Reads `kubeNetlens.*` settings into the core's shapes. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RuleSettings } from '../core/rules/run';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/settings';
import { DEFAULT_RENDER_SETTINGS, type RenderSettings } from '../render/renderer';

export const SECTION = 'kubeNetlens';

export interface ExtensionSettings {
  readonly analysis: AnalysisSettings;
  readonly rules: RuleSettings;
  readonly run: 'onType' | 'onSave';
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly maxFiles: number;
  /** Whether Kustomize overlays and Helm charts are rendered (and how). */
  readonly render: boolean;
  readonly renderSettings: RenderSettings;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const strings = (key: string): string[] => (c.get<unknown[]>(key) ?? []).filter((s): s is string => typeof s === 'string');
  const reading = c.get<string>('ipBlockReading');
  const sizeKb = c.get<number>('maxFileSizeKB');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file' ? vscode.workspace.workspaceFolders[0].uri.fsPath : undefined;
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
    render: c.get<boolean>('render') !== false,
    renderSettings: {
      ...DEFAULT_RENDER_SETTINGS,
      kustomizeCommand: c.get<string>('kustomizeCommand')?.trim() || DEFAULT_RENDER_SETTINGS.kustomizeCommand,
      helmCommand: c.get<string>('helmCommand')?.trim() || DEFAULT_RENDER_SETTINGS.helmCommand,
      helmValues: strings('helmValues').map(f => (path.isAbsolute(f) || !folder ? f : path.join(folder, f))),
      ...(c.get<string>('helmReleaseName')?.trim() ? { releaseName: c.get<string>('helmReleaseName')!.trim() } : {}),
      ...(c.get<string>('helmNamespace')?.trim() ? { namespace: c.get<string>('helmNamespace')!.trim() } : {}),
    },
  };
}
