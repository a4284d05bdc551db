// Adds `expect(element).toBeAccessible()` (axe rules through @sa11y) to every component test.
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
