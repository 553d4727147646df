package org.parley.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

/**
 * The registry of one server with the JVM and process meters bound. Each server has its own
 * (never Micrometer's global registry), so two servers in one JVM report separately.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            // Netty's pooled buffers live outside the heap (jvm_buffer_memory_used_bytes does not
            // see them): what every connection's input and pending output holds, in arenas it
            // keeps once grown. A slow reader's pending output is bounded by c2s.maxPendingOutputBytes.
            ByteBufAllocatorMetric m = provider.metric();
            Gauge.builder("parley.netty.direct.used", m, ByteBufAllocatorMetric::usedDirectMemory).baseUnit("bytes")
                    .description("direct memory Netty's buffer pool holds (arenas, in use or cached)").register(registry);
            Gauge.builder("parley.netty.heap.used", m, ByteBufAllocatorMetric::usedHeapMemory).baseUnit("bytes")
                    .description("heap memory Netty's buffer pool holds").register(registry);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
