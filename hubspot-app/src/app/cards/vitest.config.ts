import { defineConfig } from 'vitest/config';

// The HubSpot cards' own suite: React 18 and @hubspot/ui-extensions live in this folder's node_modules, so the
// settings page's sources (../settings) resolve them from here too.
export default defineConfig({
  resolve: { dedupe: ['react', '@hubspot/ui-extensions'] },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    environment: 'node',
    // HubSpot's project parsing library is run through Vitest's transform, so the project test can answer its schema
    // fetch (a portal API call) offline with the documented schemas.
    server: { deps: { inline: ['@hubspot/project-parsing-lib'] } },
  },
});
