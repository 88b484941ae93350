import type { Deadline } from "../../ecs/types";
import {
  isAttachmentKind,
  type Holding,
  type ReplacementOrder,
  type ResourceChange,
  type ResourceKind,
} from "../../membership";
import type { MembershipGuard, StepOutcome } from "../guard/guard";
import type { FactsSource } from "../guard/facts";
import type {
  ApplyRequest,
  ApplyResponse,
  BlockSchema,
  Diagnostic,
  ImportResponse,
  ObjectValue,
  PlanRequest,
  PlanResponse,
  ReadRequest,
  ReadResponse,
  Value,
} from "../plugin/types";
import { unknown } from "../plugin/types";
import { decodePlanPrivate, encodePlanPrivate, newPlanKey } from "./plan-private";
import type { Resource } from "./resource";

/** What a resource verb gets to make its calls. */
export interface ApplyContext {
  /**
   * Makes this resource's step from `before` to `after` (the one definition
   * in `membership/`, see `stepsOf`), re-checked on facts described just
   * before: a create (`before` null), an update, or a delete (`after` null).
   */
  step(before: Holding | null, after: Holding | null, deadline?: Deadline): Promise<StepOutcome>;
  /**
   * Delete only: what the new object of this resource's replacement declares,
   * when this delete is the old half of one (Terraform passes the new
   * object's planning data to both halves). The delete then joins what the
   * new object keeps on the same instance before leaving the rest.
   */
  readonly replacedBy?: Holding;
}

/** A verb's answer: the state that is true afterwards (null: the resource is gone) and what to tell. */
export interface Outcome<M> {
  readonly state: M | null;
  readonly diagnostics?: readonly Diagnostic[];
}

/**
 * A resource that decides security-group membership, written the way a
 * Terraform Plugin Framework resource is: a schema, a typed model, and the
 * verbs create, read, update, delete and import. Models hold `undefined` for
 * values Terraform does not know yet. Everything about the protocol (which
 * verb a request means, replacements, private data, the whole-plan checks)
 * is the adapter's (`membershipResource`).
 */
export interface MembershipResourceType<M> {
  readonly typeName: ResourceKind & string;
  readonly schema: BlockSchema;
  /** Attributes whose change replaces the resource. */
  readonly replacedBy: readonly string[];
  toModel(value: ObjectValue): M;
  toState(model: M): ObjectValue;
  /** Computed attributes as planned (undefined: unknown until apply). */
  computed(model: M): Record<string, Value | undefined>;
  /** What the resource declares about an instance's groups (null for unknown values). */
  holding(model: M): Holding;
  /** The delete makes no API call. */
  forgetsOnDelete(model: M): boolean;
  /** Checks of the configuration alone (terraform validate, and plan). */
  validate(model: M): Diagnostic[];
  create(planned: M, ctx: ApplyContext): Promise<Outcome<M>>;
  read(state: M, facts: FactsSource): Promise<Outcome<M>>;
  update(prior: M, planned: M, ctx: ApplyContext): Promise<Outcome<M>>;
  delete(prior: M, ctx: ApplyContext): Promise<Outcome<M>>;
  importState(id: string, facts: FactsSource): Promise<Outcome<M>>;
}

/** The configured provider's services, once ConfigureProvider has run. */
export interface Services {
  readonly facts: FactsSource;
  readonly guard: MembershipGuard;
}

/**
 * Adapts a typed resource to the plugin layer's requests: the one place that
 * turns a PlanResourceChange into a whole-plan change for the guard, and an
 * ApplyResourceChange into create, update or delete.
 *
 * Private data (never kept in state: applies return none): every planning
 * call leaves its plan key and, for a create or an update, what the planned
 * object declares. Terraform passes the new object's planning data to both
 * halves of a replacement, so a delete that finds a declaration there is the
 * old half of one (a `-replace`, a tainted object, a changed `instance_id`).
 */
export function membershipResource<M>(type: MembershipResourceType<M>, services: () => Services): Resource {
  const typeName = type.typeName;
  const modelOf = (v: ObjectValue | null): M | null => (v ? type.toModel(v) : null);
  return {
    typeName,
    schema: type.schema,

    validate: (config) => type.validate(type.toModel(config)),

    async read(req: ReadRequest): Promise<ReadResponse> {
      const res = await type.read(type.toModel(req.currentState), services().facts);
      return { newState: res.state ? type.toState(res.state) : null, diagnostics: res.diagnostics };
    },

    async plan(req: PlanRequest): Promise<PlanResponse> {
      const prior = modelOf(req.priorState);
      const proposed = modelOf(req.proposedNewState);
      const earlier = decodePlanPrivate(req.priorPrivate);
      // The second call of a replacement: the same resource as the first (see plan-private.ts).
      const replacing = !prior && earlier?.before ? earlier : undefined;
      const key = replacing?.key ?? newPlanKey();
      if (!proposed) {
        // Destroy, or the block removed from the configuration.
        const change = prior
          ? changeOf(typeName, key, type.holding(prior), null, type.forgetsOnDelete(prior))
          : undefined;
        const diagnostics = change ? await services().guard.planChange(change) : [];
        return { plannedState: null, diagnostics, plannedPrivate: encodePlanPrivate({ key }) };
      }
      const computed = type.computed(proposed);
      const plannedState: ObjectValue = {
        ...req.proposedNewState!,
        ...Object.fromEntries(Object.entries(computed).map(([k, v]) => [k, v === undefined ? unknown : v])),
      };
      const requiresReplace = req.priorState
        ? type.replacedBy
            .filter((a) => !sameValue(req.priorState![a], req.proposedNewState![a]))
            .map((a) => [a])
        : [];
      const invalid = type.validate(proposed);
      if (invalid.length > 0) return { plannedState, requiresReplace, diagnostics: invalid };
      const planned = type.toModel(plannedState);
      const before = replacing ? replacing.before! : prior ? type.holding(prior) : null;
      const change = changeOf(
        typeName,
        key,
        before,
        type.holding(planned),
        prior ? type.forgetsOnDelete(prior) : replacing ? replacing.retain === true : false,
        replacing || requiresReplace.length > 0 ? "either" : undefined,
      );
      const diagnostics = await services().guard.planChange(change);
      const plannedPrivate = encodePlanPrivate({
        key,
        ...(prior
          ? { before: type.holding(prior), ...(type.forgetsOnDelete(prior) ? { retain: true } : {}) }
          : {}),
        after: type.holding(planned),
      });
      return { plannedState, requiresReplace, diagnostics, plannedPrivate };
    },

    async apply(req: ApplyRequest): Promise<ApplyResponse> {
      const prior = modelOf(req.priorState);
      const planned = modelOf(req.plannedState);
      const plan = decodePlanPrivate(req.plannedPrivate);
      const key = plan?.key ?? newPlanKey();
      const guard = services().guard;
      const replacedBy = !planned && plan?.after ? plan.after : undefined;
      const ctx: ApplyContext = {
        replacedBy,
        step: (before, after, deadline) =>
          guard.applyStep(
            changeOf(
              typeName,
              key,
              before,
              after,
              prior ? type.forgetsOnDelete(prior) : false,
              replacedBy ? "either" : undefined,
            ),
            replacedBy ? "delete" : undefined,
            deadline,
          ),
      };
      const res = !planned
        ? prior
          ? await type.delete(prior, ctx)
          : { state: null }
        : prior
          ? await type.update(prior, planned, ctx)
          : await type.create(planned, ctx);
      if (plan) guard.settled(plan.key, res.state ? type.holding(res.state) : null);
      // Private data is for one plan only: none is kept in state.
      return {
        newState: res.state ? type.toState(res.state) : null,
        diagnostics: res.diagnostics,
        private: Buffer.alloc(0),
      };
    },

    async importState(id: string): Promise<ImportResponse> {
      const res = await type.importState(id, services().facts);
      return {
        resources: res.state ? [{ typeName, state: type.toState(res.state) }] : [],
        diagnostics: res.diagnostics,
      };
    },
  };
}

/** The whole-plan model's view of one resource's change. */
function changeOf(
  kind: ResourceKind,
  key: string,
  before: Holding | null,
  after: Holding | null,
  retainOnDelete: boolean,
  replacement?: ReplacementOrder,
): ResourceChange {
  return {
    resource: key,
    label: describe(kind, before, after, replacement !== undefined),
    kind,
    before,
    after,
    ...(retainOnDelete ? { retainOnDelete: true } : {}),
    ...(replacement && before && after ? { replacement } : {}),
  };
}

/**
 * How a finding names a resource the provider cannot address (it is not told
 * resource addresses; Terraform shows the address of the resource whose call
 * reports the finding).
 */
function describe(
  typeName: ResourceKind,
  before: Holding | null,
  after: Holding | null,
  replaced: boolean,
): string {
  const what = (h: Holding) =>
    isAttachmentKind(typeName)
      ? `${h.instanceId ?? "(unknown)"}:${h.securityGroupIds?.[0] ?? "(unknown)"}`
      : (h.instanceId ?? "(unknown)");
  if (!before && after) return `a new ${typeName} for ${what(after)}`;
  if (before && !after) return `the removed ${typeName} for ${what(before)}`;
  if (before && after && replaced) return `the replaced ${typeName} for ${what(before)}`;
  if (before && after && what(before) !== what(after))
    return `the ${typeName} changing ${what(before)} to ${what(after)}`;
  return `the ${typeName} for ${what((after ?? before)!)}`;
}

function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
