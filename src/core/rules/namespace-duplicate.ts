import { defineRule } from './rule';
import { reportDuplicate } from './support/duplicates';

/** Two Namespace objects with the same name. */
export default defineRule({
  id: 'namespace-duplicate',
  severity: 'error',
  kinds: ['Namespace'],
  docs: {
    summary: 'Two Namespace objects have the same name.',
    rationale: 'Only one object of a kind can have a given name: the later one replaces the earlier, labels included, which changes what namespaceSelectors match.',
  },
  check(object, ctx) {
    reportDuplicate(object, ctx, () => `Namespace ${object.name} is already declared`);
  },
});
