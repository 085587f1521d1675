// Every requirement the suite checks, one file per area. Importing this module registers them all
// (helpers/findings.ts): scripts/requirements.ts lists them in docs/requirements.md, and the
// conformance report shows one row per code. Each area file adds one line here.
export * from './addresses.ts';
export * from './auth.ts';
export * from './contract.ts';
export * from './credentials.ts';
export * from './exchange.ts';
export * from './model.ts';
export * from './negative.ts';
export * from './optin.ts';
export * from './profile.ts';
export * from './security.ts';
export * from './social-login.ts';
export * from './steps.ts';
