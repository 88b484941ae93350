/**
 * IDs as synth-time validation sees them: a literal, or a Terraform
 * expression that can be compared with other expressions.
 *
 * Tokens are resolved first, so `instance.id` read twice (two token strings)
 * is one `${alicloud_instance.web.id}`; two IDs are the same when they are the
 * same literal or the same expression, in the same stack (two stacks may
 * target different regions or accounts). Values that differ
 * per resource instance (`each.*`, `count.*`, `self.*`) are never compared,
 * and a literal is never compared with an expression: whether `"i-web1"` and
 * `${alicloud_instance.web.id}` are the same instance is only known at apply
 * time, where the provider checks it.
 */
import { IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from "cdktf";

export interface IdValue {
  /** The literal value, when no Terraform expression is involved. */
  readonly literal?: string;
  /** Equal keys denote the same ID; undefined when the value cannot be compared at synth time. */
  readonly key?: string;
  /** For messages: the literal in quotes, or the expression. */
  readonly display: string;
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());
const PER_RESOURCE_INSTANCE = /\$\{[^}]*\b(each|count|self)\./;

/**
 * Resolves tokens in `value` as synth would in `scope`'s stack, but without
 * the preparing pass, so nothing (e.g. a cross-stack output) is added to the
 * app. Undefined when it cannot be resolved.
 */
export function resolveIn(scope: IConstruct, value: unknown): unknown {
  try {
    return Tokenization.resolve(value, { scope, preparing: false, resolver: RESOLVER });
  } catch {
    return undefined;
  }
}

/** The key of a Terraform expression (e.g. `${alicloud_instance.web.id}`) as written in `scope`'s stack. */
export function expressionKey(scope: IConstruct, expression: string): string {
  return `expression:${TerraformStack.of(scope).node.path}:${expression}`;
}

/** Classifies a resolved string: Terraform reads `${...}` in JSON strings as an expression. */
function classify(scope: IConstruct, value: string): IdValue {
  // Literals are compared within one stack: two stacks may well target different regions or accounts.
  if (!value.includes("${")) {
    return {
      literal: value,
      key: `literal:${TerraformStack.of(scope).node.path}:${value}`,
      display: `"${value}"`,
    };
  }
  if (PER_RESOURCE_INSTANCE.test(value)) return { display: value };
  return { key: expressionKey(scope, value), display: value };
}

/** The {@link IdValue} of one ID attribute of `scope` (undefined when it is not a string). */
export function idValue(scope: IConstruct, raw: unknown): IdValue | undefined {
  const value = Token.isUnresolved(raw) ? resolveIn(scope, raw) : raw;
  return typeof value === "string" ? classify(scope, value) : undefined;
}

/** The {@link IdValue}s of a list attribute; undefined when the list is only known at apply time. */
export function idValues(scope: IConstruct, raw: unknown): IdValue[] | undefined {
  // A list token (e.g. `Token.asList(...)`) resolves to an array, or to one expression for the whole list.
  const list = Token.isUnresolved(raw) ? resolveIn(scope, raw) : raw;
  if (!Array.isArray(list)) return undefined;
  const values = list.map((item) => idValue(scope, item));
  return values.every((v): v is IdValue => v !== undefined) ? values : undefined;
}
