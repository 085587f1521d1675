// Every requirement the suite checks, one module per area (helpers/findings.ts registers them).
export * from './addresses.ts';
export * from './auth.ts';
export * from './credentials.ts';
export * from './negative.ts';
export * from './optin.ts';
export * from './profile.ts';
export * from './security.ts';
export * from './social-login.ts';
export * from './steps.ts';
