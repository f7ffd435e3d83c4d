/**
 * Shared by the stack tests: synthesizes HotlineStack the way `cdk synth` does (cdk.json's context,
 * i.e. its feature flags), and reads the template (resources by type, references, IAM statements,
 * values resolved with made-up ids).
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../lambdas/http/routes';
import { HotlineStack, type HotlineStackProps } from '../../lib/hotline-stack';
import { buildConsoleAsset } from '../../lib/staff-console';

export type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Statement = { Effect?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

export interface Synthesized {
  app: App;
  stacks: Record<string, HotlineStack>;
  templates: Record<string, Template>;
}

let consoleDir: Promise<string> | undefined;

/**
 * One app with one HotlineStack per entry (`{ name: props }`). `bundle` lists the stacks whose
 * Lambdas esbuild really bundles; the others get placeholder code (much faster, same template).
 */
export async function synthesize(stacks: Record<string, Omit<HotlineStackProps, 'consoleDir'>>, bundle: string[] = []): Promise<Synthesized> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': bundle } });
  const dir = await (consoleDir ??= buildConsoleAsset());
  const built: Record<string, HotlineStack> = {};
  const templates: Record<string, Template> = {};
  for (const [name, props] of Object.entries(stacks)) built[name] = new HotlineStack(app, name, { ...props, consoleDir: dir });
  // Template.fromStack fails on a dependency cycle between resources.
  for (const [name, stack] of Object.entries(built)) templates[name] = Template.fromStack(stack);
  return { app, stacks: built, templates };
}

export function resources(from: Template, type: string): Record<string, Resource> {
  return from.findResources(type) as Record<string, Resource>;
}

export function onlyResource(from: Template, type: string): [string, Resource] {
  const found = Object.entries(resources(from, type));
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

/** Logical id of a Lambda, found by its description. */
export function functionIdByDescription(from: Template, description: string): string {
  const found = Object.keys(from.findResources('AWS::Lambda::Function', { Properties: { Description: description } }));
  expect(found, `Lambda "${description}"`).toHaveLength(1);
  return found[0]!;
}

/** Logical id of the Lambda of FUNCTIONS[name]. */
export function functionId(from: Template, name: FunctionName): string {
  return functionIdByDescription(from, FUNCTIONS[name].description);
}

export function environmentOf(from: Template, logicalId: string): Record<string, unknown> {
  const fn = resources(from, 'AWS::Lambda::Function')[logicalId]!;
  return (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
}

/** Every IAM statement attached to the role of the Lambda `logicalId`. */
export function policyStatementsOf(from: Template, logicalId: string): Statement[] {
  const fn = resources(from, 'AWS::Lambda::Function')[logicalId]!;
  const roleId = [...referencedIds(fn.Properties?.Role)][0]!;
  const policies = Object.values(resources(from, 'AWS::IAM::Policy')).filter((p) => referencedIds(p.Properties?.Roles).has(roleId));
  return policies.flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

export function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => [s.Action].flat());
}

/** Logical ids a value refers to through Ref or Fn::GetAtt. */
export function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencedIds(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]!);
      else referencedIds(inner, into);
    }
  }
  return into;
}

/**
 * Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Select and Fn::Split to strings, as CloudFormation would
 * with the given values (`{ 'Api.ApiEndpoint': 'https://…', 'AWS::Region': 'eu-west-1' }`).
 */
export function resolveValue(value: unknown, known: Record<string, string>): string {
  const resolved = resolveAny(value, known);
  if (typeof resolved !== 'string') throw new Error(`not a string: ${JSON.stringify(value)}`);
  return resolved;
}

function resolveAny(value: unknown, known: Record<string, string>): unknown {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => resolveAny(v, known));
  if (value && typeof value === 'object') {
    const [[key, inner]] = Object.entries(value) as [[string, unknown]];
    const lookup = (name: string) => {
      if (!(name in known)) throw new Error(`no value for ${name}`);
      return known[name]!;
    };
    if (key === 'Ref') return lookup(String(inner));
    if (key === 'Fn::GetAtt') return lookup(Array.isArray(inner) ? inner.join('.') : String(inner));
    if (key === 'Fn::Join') {
      const [sep, parts] = inner as [string, unknown[]];
      return parts.map((p) => resolveAny(p, known)).join(sep);
    }
    if (key === 'Fn::Split') {
      const [sep, source] = inner as [string, unknown];
      return String(resolveAny(source, known)).split(sep);
    }
    if (key === 'Fn::Select') {
      const [index, list] = inner as [number, unknown];
      return (resolveAny(list, known) as unknown[])[Number(index)];
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}
