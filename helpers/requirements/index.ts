// Every module of coded requirements; importing this registers them all.
export * from './model.ts';
