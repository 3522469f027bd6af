// One contender, alone in its process (forked by isolated-sampler.ts): no other contender's JIT feedback,
// allocation-site pretenuring or garbage is in this process while its samples are taken.
import { contenders } from "./contenders.js";
import type { IsolatedJob, IsolatedReply, IsolatedSample } from "./isolated-job.js";
import { benchModels } from "./mock-models.js";

async function measure(job: IsolatedJob): Promise<IsolatedSample[]> {
  const models = benchModels({ tasks: job.tasks, latencyMs: 0 });
  const settings = { concurrency: job.concurrency ?? Number.POSITIVE_INFINITY };
  const run = contenders[job.contender];
  const warmupStart = performance.now();
  do await run(models, settings);
  while (performance.now() - warmupStart < job.warmupMs);
  const samples: IsolatedSample[] = [];
  // No forced GC between samples: after a full GC V8 shrinks the young generation and grows it back over the
  // next scavenges, which costs every contender (the more, the more it allocates) and measures GC tuning, not
  // the steady state a long-running process sees.
  for (let sample = 0; sample < job.samples; sample++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let runs = 0;
    const lane = async () => {
      while (runs < job.minRuns || performance.now() - start < job.sampleMs) {
        runs++;
        await run(models, settings);
      }
    };
    await Promise.all(Array.from({ length: job.parallelism }, lane));
    const cpu = process.cpuUsage(cpuStart);
    samples.push({ runs, wallMs: performance.now() - start, cpuUs: cpu.user + cpu.system });
  }
  return samples;
}

process.once("message", (job: IsolatedJob) => {
  measure(job).then(
    (samples) => reply({ type: "samples", samples }),
    (error: unknown) =>
      reply({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
});

function reply(message: IsolatedReply): void {
  process.send!(message, () => process.disconnect());
}
