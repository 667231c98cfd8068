import { startTestProvider, type TestAccount } from '../../../tools/runtime/src/testing/oidc-test-provider';

/**
 * The API tests' OpenID provider (oidc-provider, ESM only) in a process of its own, for the browser
 * tests whose Playwright runner loads test files as CommonJS. Settings and accounts come in
 * TEST_PROVIDER (JSON); the provider's issuer and client are printed as one JSON line once it listens.
 */
interface Settings {
  redirectUri: string;
  postLogoutRedirectUri: string;
  accounts: TestAccount[];
}

async function main() {
  const settings = JSON.parse(process.env.TEST_PROVIDER ?? '{}') as Settings;
  const provider = await startTestProvider({ redirectUri: settings.redirectUri, postLogoutRedirectUri: settings.postLogoutRedirectUri });
  for (const account of settings.accounts) provider.accounts.set(account.email, account);
  process.stdout.write(`${JSON.stringify({ issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret })}\n`);
  const stop = () => void provider.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
