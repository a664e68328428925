// Field managers the operation tools write with. Flux's controllers take over fields held by
// managers named `kubectl*` at their next apply, so manifests applied here do not fight Flux; patches
// use a name without that prefix so that e.g. a restart annotation stays.
export const APPLY_FIELD_MANAGER = "kubectl-flux-mcp";
export const PATCH_FIELD_MANAGER = "flux-mcp";
