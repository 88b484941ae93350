/** `alisg adopt`: the code that brings memberships that exist today under management. */
export {
  checkSelection,
  describeSelection,
  instanceQueries,
  parseTagOption,
  selectsInstances,
  type AdoptSelection,
} from "./selection";
export { readEstate, type Estate, type EstateReader } from "./estate";
export { adoptionSummary } from "./header";
export {
  leftOutCount,
  planAdoption,
  RESOURCE_TYPES,
  type AdoptedMember,
  type AdoptedResource,
  type AdoptKind,
  type Adoption,
  type Caution,
  type LeftOut,
} from "./adoption";
export { resourceNames } from "./names";
export { writeHcl, type HclOptions, type ProviderRequirement } from "./hcl";
export { ADOPT_FUNCTION, LIBRARY_ENTRY, writeCdktf, type CdkFlavour, type CdktfOptions } from "./cdktf";
export { writeAdoptionJson } from "./json";
