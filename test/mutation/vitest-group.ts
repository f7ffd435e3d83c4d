/** The project's Vitest settings with only one mutation group's test files (see groups.mjs). */
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';
import { GROUPS } from './groups.mjs';

export function groupConfig(group: string) {
  const tests = group === 'all' ? [...new Set(Object.values(GROUPS).flatMap((g) => g.tests))] : GROUPS[group]?.tests;
  if (!tests) throw new Error(`no mutation group "${group}"`);
  return defineConfig({ ...base, test: { ...base.test, include: tests } });
}
