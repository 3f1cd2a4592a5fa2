import { DeliveryService } from './delivery.service';

describe('traceUrl of the delivery log', () => {
  const id = '4bf92f3577b34da6a3ce929d0e0e4736';

  it('fills the template (Jaeger by default) with a real trace id', () => {
    expect(new DeliveryService().traceUrl(id)).toBe(`http://127.0.0.1:16686/trace/${id}`);
    expect(new DeliveryService('https://grafana.example.com/explore?traceId={traceId}&x={traceId}').traceUrl(id))
      .toBe(`https://grafana.example.com/explore?traceId=${id}&x=${id}`);
  });

  it('is null without a real trace id (none, all zeros from before tracing was always on, or not hex)', () => {
    const s = new DeliveryService();
    expect(s.traceUrl(null)).toBeNull();
    expect(s.traceUrl('0'.repeat(32))).toBeNull();
    expect(s.traceUrl('not-a-trace-id-but-32-characters')).toBeNull();
  });
});
