// Every requirement module of the suite; each branch adds its line.
export * from './contract.ts';
