/**
 * A configuration problem found at start-up. One error lists every problem, each naming the environment
 * variable, so an operator fixes them in one go instead of one restart per mistake.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`configuration: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
