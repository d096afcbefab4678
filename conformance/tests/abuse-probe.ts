// The "second client" of the abuse suite (issue 11): while a test runs an attack, a probe keeps
// requesting a cheap URL (by default /healthz) and records each latency and failure. The suite asserts
// that the probe kept succeeding within a latency bound, i.e. the attack did not lock others out.

export interface ProbeResult {
  count: number;
  /** Responses whose status was not the expected one, and network errors. */
  failures: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LatencyProbe {
  /** Stops the probe after its request in flight and returns the latencies (ms). */
  stop(): Promise<ProbeResult>;
}

export interface ProbeOptions {
  /** Pause between two requests (ms). */
  intervalMs?: number;
  headers?: Record<string, string>;
  expectStatus?: number;
  /** A request slower than this is aborted and counted as a failure (ms). */
  timeoutMs?: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export function startProbe(url: string, options: ProbeOptions = {}): LatencyProbe {
  const { intervalMs = 20, headers = {}, expectStatus = 200, timeoutMs = 10_000 } = options;
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async (): Promise<void> => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer();
        if (res.status !== expectStatus) failures += 1;
      } catch {
        failures += 1;
      }
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        count: sorted.length,
        failures,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        max: sorted[sorted.length - 1] ?? Number.NaN,
      };
    },
  };
}
