// ESLint flat config, one block per folder. Components: @salesforce/eslint-config-lwc's recommended rules;
// their Jest tests additionally get Jest globals and rules.
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';

const LWC = 'force-app/main/default/lwc/**';

export default [
    { ignores: ['node_modules/**', '.localdevserver/**', '.test-results/**', 'coverage/**'] },
    ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: [`${LWC}/*.js`] })),
    {
        files: [`${LWC}/__tests__/**/*.js`],
        plugins: { jest: jestPlugin },
        languageOptions: { globals: { ...globals.node, ...globals.jest } },
        rules: {
            ...jestPlugin.configs.recommended.rules,
            // Tests drive wire adapters by hand (emit / error) and wait on timers to let the DOM settle.
            '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
            '@lwc/lwc/no-async-operation': 'off',
        },
    },
];
