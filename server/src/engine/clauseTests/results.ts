import { mergeUnitResult } from './runner';
import type { UnitResult } from './types';

/** The latest result per unit, keyed by file and unit id. */
export class ClauseTestResults {
  private readonly byUnit = new Map<string, UnitResult>();

  add(results: UnitResult[]): void {
    for (const result of results) {
      const key = result.uri + '\0' + result.unitId;
      this.byUnit.set(key, mergeUnitResult(this.byUnit.get(key), result));
    }
  }

  clear(): void {
    this.byUnit.clear();
  }

  get size(): number {
    return this.byUnit.size;
  }

  get(uri: string, unitId: string): UnitResult | undefined {
    return this.byUnit.get(uri + '\0' + unitId);
  }

  /** The results of units in one spec file. */
  inFile(uri: string): UnitResult[] {
    return [...this.byUnit.values()].filter((result) => result.uri === uri);
  }
}
