/** Public entry point of the package: the cdktf constructs and the pieces users may reuse. */
export * from "./constructs";
