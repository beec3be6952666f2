// Types for test-summary.mjs.
export interface Counts { passed: number; failed: number; found: boolean }
export interface LayerResult { name: string; passed: number; failed: number; exitCode: number; seconds?: number }
export declare function parseNodeTest(output: string): Counts;
export declare function parseMocha(output: string): Counts;
export declare function summarize(layers: LayerResult[]): {
  rows: (LayerResult & { ok: boolean; problems: string[] })[];
  passed: number;
  failed: number;
  ok: boolean;
};
