import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';

describe('configuration', () => {
  it('When nothing is set, then the companion binds to 127.0.0.1:3000 with ./.stagecraft', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, apiToken: null });
    expect(config.dataDir).toMatch(/\.stagecraft$/);
    expect(config.salesforce.apiVersion).toBe('65.0');
  });

  it('When PORT is not a port, then one line names the variable and the value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^configuration: PORT \("70000"\)/);
  });

  it('When HOST is not loopback and no API token is set, then start-up stops naming STAGECRAFT_API_TOKEN', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/STAGECRAFT_API_TOKEN is required when HOST \(0.0.0.0\)/);
    expect(loadConfig({ HOST: '0.0.0.0', STAGECRAFT_API_TOKEN: 'a-long-enough-token' }).host).toBe('0.0.0.0');
  });

  it('When a secret is invalid, then its value is not echoed', () => {
    expect(() => loadConfig({ STAGECRAFT_API_TOKEN: 'short' })).toThrow(/^configuration: STAGECRAFT_API_TOKEN must be at least 16/);
  });

  it('When a variable is set but empty, then it counts as unset', () => {
    expect(loadConfig({ PORT: '', SF_NAMESPACE: '' }).port).toBe(3000);
  });

  it('When SF_API_VERSION is malformed, then it is rejected', () => {
    expect(() => loadConfig({ SF_API_VERSION: 'v62' })).toThrow(/SF_API_VERSION/);
  });
});
