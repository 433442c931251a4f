import type { z } from 'zod';
import type { InputIssue } from './errors/invalid-order-error.js';

const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Turns zod issues into `InputIssue`s that say what to fix. Unknown keys become one issue each,
 * with the camelCase spelling suggested for snake_case keys (`order_type` -> `orderType`), which is
 * what users coming from the Python spec write.
 */
export function toInputIssues(
  error: z.ZodError,
  knownKeys: readonly string[] = [],
  prefix = '',
): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion = camelCase(key);
        const hint =
          suggestion !== key && knownKeys.includes(suggestion)
            ? `; did you mean "${suggestion}"?`
            : '; remove it';
        issues.push({ path: [path, key].filter(Boolean).join('.'), message: `unknown field${hint}` });
      }
      continue;
    }
    issues.push({ path, message: describeIssue(issue) });
  }
  return issues;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
