import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one provisioner server (its own registry: no process-wide state). */
export function createProvisionerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tokenward_' });
  const messages = new Counter({
    name: 'tokenward_softtoken_messages_total',
    help: 'SoftToken messages answered, by endpoint, message type and result (2 ok, 1 partly, 0 failed).',
    labelNames: ['endpoint', 'type', 'result'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tokenward_softtoken_duration_seconds',
    help: 'Time to answer a SoftToken message (long polls included), by endpoint and type.',
    labelNames: ['endpoint', 'type'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  return {
    registry,
    observe(endpoint: 'Process' | 'Mobile', type: string, result: number, seconds: number) {
      // Bound the label set: attacker-chosen type names would otherwise grow it without limit.
      const label = /^(Mobile)?[A-Z][A-Za-z]{2,20}$/.test(type) ? type : 'Other';
      messages.inc({ endpoint, type: label, result: String(result) });
      duration.observe({ endpoint, type: label }, seconds);
    },
  };
}
