import type { Params } from "../params";
import type { EmulatorState } from "../state";

/** What an action returns: the response fields (the server adds `RequestId`) and, for a change, the new world. */
export interface ActionResult {
  body: Record<string, unknown>;
  /** Present when the action changed something; the input state is never mutated. */
  state?: EmulatorState;
}

/** An ECS action as a pure function of the world and the request's action parameters. */
export type ActionHandler = (state: EmulatorState, params: Params) => ActionResult;
