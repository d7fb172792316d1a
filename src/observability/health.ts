// The /health verdict: one boolean per dependency, "degraded" when any is down. The model endpoint
// is probed at most every MODEL_PROBE_TTL_MS so load-balancer polling does not hammer the provider.
import type { DependencyName } from "../infra/dependency";
import { type Deps, probeDeps } from "../lifecycle/dependencies";

const MODEL_PROBE_TTL_MS = 30_000;

export interface HealthReport {
  status: "ok" | "degraded";
  checks: Record<DependencyName, boolean>;
  version: string;
}

export function createHealthProbe(deps: Deps, version: string): () => Promise<HealthReport> {
  let model: { ok: boolean; at: number } | undefined;
  return async () => {
    const modelFresh = model && performance.now() - model.at < MODEL_PROBE_TTL_MS;
    const checks = await probeDeps(deps, modelFresh ? ["model"] : []);
    if (modelFresh && model) checks.model = model.ok;
    else model = { ok: checks.model, at: performance.now() };
    const status = Object.values(checks).every(Boolean) ? "ok" : "degraded";
    return { status, checks, version };
  };
}
