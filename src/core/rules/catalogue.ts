/** The rule catalogue as documentation: the Markdown table README and the meta-test share. */
import { RULES } from './index';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The Markdown table of every rule: id linked to docs/rules/<id>.md, default severity ("off" for
 * rules disabled by default, with the severity they get when enabled), summary. One line per rule, in
 * catalogue order, ending with a newline.
 */
export function rulesTable(): string {
  const rows = RULES.map(r => {
    const severity = r.enabledByDefault === false ? `off (${r.severity})` : r.severity;
    return `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${severity} | ${cell(r.docs.summary)} |`;
  });
  return ['| Rule | Default severity | Finds |', '| --- | --- | --- |', ...rows].join('\n') + '\n';
}
