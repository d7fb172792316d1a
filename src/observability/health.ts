// The /health verdict: one boolean per dependency, "degraded" when any is down. Datastores are probed
// at most once per HILO_HEALTH_REUSE_MS per instance, the model endpoint at most every
// MODEL_PROBE_TTL_MS, so polling (or a flood) does not load them.
import { createIntercomProbe, type IntercomHealth } from "../handover/health";
import type { DependencyName } from "../infra/dependency";
import { type Deps, probeDeps } from "../infra/deps";

const MODEL_PROBE_TTL_MS = 30_000;

export interface HealthReport {
  status: "ok" | "degraded";
  checks: Record<DependencyName, boolean>;
  /** Optional integrations, present only when configured; they never make the status degraded. */
  optional?: { intercom: IntercomHealth };
  version: string;
}

export function createHealthProbe(deps: Deps, version: string): () => Promise<HealthReport> {
  const reuseMs = deps.config.HILO_HEALTH_REUSE_MS;
  let model: { ok: boolean; at: number } | undefined;
  let latest: { report: HealthReport; at: number } | undefined;
  let inFlight: Promise<HealthReport> | null = null;
  const intercom = createIntercomProbe(deps.config);

  const probeRound = async (): Promise<HealthReport> => {
    const modelFresh = model && performance.now() - model.at < MODEL_PROBE_TTL_MS;
    const [checks, intercomState] = await Promise.all([
      probeDeps(deps, modelFresh ? ["model"] : []),
      intercom?.() ?? null,
    ]);
    if (modelFresh && model) checks.model = model.ok;
    else model = { ok: checks.model, at: performance.now() };
    const status = Object.values(checks).every(Boolean) ? "ok" : "degraded";
    return { status, checks, ...(intercomState ? { optional: { intercom: intercomState } } : {}), version };
  };

  // /health needs no key, so anyone can call it at any rate: one probe round in flight at a time,
  // its verdict reused for HILO_HEALTH_REUSE_MS, bounds what it costs the datastores per instance.
  return () => {
    if (latest && performance.now() - latest.at < reuseMs) return Promise.resolve(latest.report);
    inFlight ??= probeRound()
      .then((report) => {
        latest = { report, at: performance.now() };
        return report;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}
