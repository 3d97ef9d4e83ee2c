export * from './cache';
export * from './collect';
export * from './grader';
export * from './runner';
export * from './types';
export * from './context';
export * from './disagreement';
