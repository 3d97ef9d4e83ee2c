export { documentSymbols, workspaceSymbols } from './symbols';
export { definition, references } from './navigation';
export { prepareRename, rename, RenameError, type RenameOptions, type RenameResult } from './rename';
export { hover } from './hover';
export { completion } from './completion';
export { foldingRanges } from './folding';
export { documentLinks } from './links';
export { specEntries, specEntry, type SpecEntry } from './specList';
