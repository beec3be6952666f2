import { LOAD_OPTIONS, LOAD_USAGE, loadSettings, NAMESPACE_OPTION, NAMESPACE_USAGE, parse } from '../args';
import type { Command } from '../command';
import { loadPaths } from '../load';

/** `kube-netlens objects PATH...`: every object as `file:line kind namespace/name`. */
export const objects: Command = {
  name: 'objects',
  docs: 'docs/cli/objects.md',
  summary: 'list every Kubernetes object found, as file:line kind namespace/name',
  usage: `kube-netlens objects PATH... [--problems] [-n NS] [--max-file-size SIZE]\n${NAMESPACE_USAGE}\n${LOAD_USAGE}`,
  run(argv, io) {
    const { values, positionals } = parse(argv, { problems: { type: 'boolean' }, ...LOAD_OPTIONS, ...NAMESPACE_OPTION });
    const { workspace, warnings } = loadPaths(positionals, loadSettings(values));
    for (const w of warnings) io.err(`warning: ${w}`);
    for (const entry of workspace.files) {
      const m = entry.manifest;
      for (const o of m.objects) {
        const line = m.lines.position(o.span.start).line + 1;
        const ref = o.namespace ? `${o.namespace}/${o.name}` : o.name;
        io.out(`${m.file}:${line} ${o.kind} ${ref}`);
      }
      if (values.problems) {
        for (const p of m.problems) {
          const pos = m.lines.position(p.span.start);
          io.out(`${m.file}:${pos.line + 1}:${pos.character + 1} ${p.severity} ${p.code} ${p.message}`);
        }
      }
    }
    return 0;
  },
};
