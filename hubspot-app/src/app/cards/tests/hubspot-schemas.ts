// The component schemas HubSpot's project service answers for platform 2025.2
// (GET project-components-external/project-schemas/v3/2025.2, which @hubspot/project-parsing-lib fetches from a
// portal before validating a project), written here from HubSpot's documented field tables — "App configuration"
// (app-hsmeta.json), "App cards" (card-hsmeta.json) and "Settings page" (settings-hsmeta.json) — because the tests
// run offline. They describe each component's `config`, keyed by the intermediate component type.
const URL_LIST = { type: 'array', items: { type: 'string', format: 'uri', pattern: '^https://' } } as const;
const ENTRYPOINT = { type: 'string', pattern: '^/app/.+\\.(jsx|tsx)$' } as const;

export const PROJECT_SCHEMAS_2025_2 = {
  APPLICATION: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['name', 'description', 'distribution', 'auth'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, pattern: '^\\S(.*\\S)?$' },
      description: { type: 'string', minLength: 1, maxLength: 8192 },
      logo: { type: 'string' },
      distribution: { enum: ['marketplace', 'private'] },
      auth: {
        type: 'object',
        required: ['type', 'requiredScopes'],
        additionalProperties: false,
        properties: {
          type: { enum: ['oauth', 'static'] },
          redirectUrls: { type: 'array', items: { type: 'string', format: 'uri' } },
          requiredScopes: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z][a-z0-9_.-]*$' } },
          optionalScopes: { type: 'array', items: { type: 'string' } },
          conditionallyRequiredScopes: { type: 'array', items: { type: 'string' } },
        },
        // OAuth apps name where HubSpot sends the installing user back.
        if: { properties: { type: { const: 'oauth' } } },
        then: { required: ['redirectUrls'], properties: { redirectUrls: { minItems: 1 } } },
      },
      permittedUrls: {
        type: 'object',
        additionalProperties: false,
        properties: { fetch: URL_LIST, iframe: URL_LIST, img: URL_LIST },
      },
      support: {
        type: 'object',
        additionalProperties: false,
        properties: {
          supportEmail: { type: 'string', format: 'email' },
          documentationUrl: { type: 'string', format: 'uri' },
          supportUrl: { type: 'string', format: 'uri' },
          supportPhone: { type: 'string', pattern: '^\\+?[0-9 ()-]{6,}$' },
        },
      },
    },
  },
  CARD: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['name', 'location', 'entrypoint'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', maxLength: 8192 },
      previewImage: { type: 'object' },
      // Where the card may be placed: a record's middle column (tab), its right sidebar, the preview panel, or the
      // help desk sidebar.
      location: { enum: ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] },
      entrypoint: ENTRYPOINT,
      objectTypes: { type: 'array', minItems: 1, items: { enum: ['contacts', 'companies', 'deals', 'tickets', 'leads', 'carts', 'orders', 'invoices', 'quotes', 'subscriptions', 'appointments', 'courses', 'listings', 'services'] } },
    },
    // A record card names the object types it shows on.
    if: { properties: { location: { enum: ['crm.record.tab', 'crm.record.sidebar', 'crm.preview'] } } },
    then: { required: ['objectTypes'] },
  },
  SETTINGS: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['name', 'entrypoint'],
    additionalProperties: false,
    properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, entrypoint: ENTRYPOINT },
  },
} as const;
