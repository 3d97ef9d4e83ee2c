export * from './client';
export * from './errors';
export * from './limiter';
export * from './settings';
export * from './json';
