/** `DescribeInstanceAttribute`: one instance, fields flat at the top level. */
import { requiredId } from "../params";
import { findInstance } from "./lookup";
import type { ActionHandler } from "./types";
import { instanceAttributeBody } from "./views";

export const describeInstanceAttribute: ActionHandler = (state, params) => {
  const inst = findInstance(state, requiredId(params, "InstanceId"));
  return { body: instanceAttributeBody(inst, state.regionId) };
};
