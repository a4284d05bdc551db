// The layer rules, checked in `npm test` (tests/unit/layers.test.ts) by dependency-cruiser:
//   engine (shared/) ← use cases (server/src/use-cases) ← entry points (server/src/cli, server/src/http)
// with the CRM adapters behind the port and the stores behind repositories, chosen in one composition root.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-is-pure',
      comment: 'The engine and the shared model import nothing from the companion, the preview, tests or the package.',
      severity: 'error',
      from: { path: '^shared/src' },
      to: { path: '^(server|preview|tests|bench|force-app|hubspot-app)/' },
    },
    {
      name: 'engine-does-no-io',
      comment: 'The engine never reads files, the network or the clock: no I/O modules.',
      severity: 'error',
      from: { path: '^shared/src/(engine|write-back|playbook)' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|child_process|worker_threads|sqlite|dgram|dns|tls)$' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      comment: 'One adapter per CRM behind the port: Salesforce and the embedded org share nothing but the port and the shared shape mapping.',
      severity: 'error',
      from: { path: '^server/src/crm/(salesforce|embedded|hubspot)/' },
      to: { path: '^server/src/crm/(salesforce|embedded|hubspot)/', pathNot: '^server/src/crm/$1/' },
    },
    {
      name: 'port-is-crm-neutral',
      comment: 'port.ts names no CRM: its types are the neutral model and the write-back plan.',
      severity: 'error',
      from: { path: '^server/src/crm/port\\.ts$' },
      to: { path: '^server/src/crm/(salesforce|embedded|hubspot)|salesforce-shape' },
    },
    {
      name: 'entry-points-use-use-cases',
      comment: 'CLI commands and HTTP routes call use cases; they never construct adapters nor open the companion stores.',
      severity: 'error',
      from: { path: '^server/src/(cli|http)/' },
      to: { path: '^server/src/(store/|crm/salesforce/|crm/hubspot/|crm/embedded/adapter\\.ts$)' },
    },
    {
      name: 'use-cases-know-no-entry-points',
      comment: 'Use cases are called by entry points, never the other way round.',
      severity: 'error',
      from: { path: '^server/src/use-cases/' },
      to: { path: '^server/src/(cli|http)/' },
    },
    {
      name: 'only-the-composition-root-picks-adapters',
      comment: 'Adapters are constructed in server/src/composition.ts only.',
      severity: 'error',
      from: { path: '^server/src/', pathNot: '^server/src/(composition\\.ts|crm/)' },
      to: { path: '^server/src/crm/(salesforce/(connect|adapter)|embedded/adapter)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.test-results|test-output)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs'] },
  },
};
