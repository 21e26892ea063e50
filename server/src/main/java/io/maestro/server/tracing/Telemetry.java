package io.maestro.server.tracing;

import io.maestro.core.config.MaestroConfig;
import io.maestro.core.trace.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The server's tracing (ADR 0045): with {@code tracing.enabled}, an OpenTelemetry SDK whose spans
 * are batched and exported over OTLP/HTTP (protobuf) to {@code tracing.otlp.endpoint}; without it,
 * {@link Tracing#off()} and no SDK, exporter or thread at all.
 *
 * <p>The SDK is this server's own: it is not registered as the global OpenTelemetry, so two servers
 * in one process (tests) keep their spans apart and nothing else in the process picks it up.
 */
public final class Telemetry implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Telemetry.class.getName());
  private static final Telemetry OFF = new Telemetry(null, Tracing.off());

  private final SdkTracerProvider provider;
  private final Tracing tracing;

  private Telemetry(SdkTracerProvider provider, Tracing tracing) {
    this.provider = provider;
    this.tracing = tracing;
  }

  /** The SDK for {@code config}, or nothing when tracing is off. */
  public static Telemetry start(MaestroConfig.Tracing config) {
    if (!config.enabled()) {
      return OFF;
    }
    OtlpHttpSpanExporterBuilder exporter =
        OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint()).setTimeout(config.timeout());
    // Collector credentials, if any: sent as headers, never logged.
    config.headers().forEach(exporter::addHeader);
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName())));
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            // A caller's sampling decision stands; new traces are sampled at the configured ratio.
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
            .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    LOG.info(
        () ->
            "tracing: spans exported over OTLP/HTTP to "
                + config.endpoint()
                + " as "
                + config.serviceName()
                + " (sample ratio "
                + config.sampleRatio()
                + ")");
    return new Telemetry(provider, Tracing.of(sdk));
  }

  public Tracing tracing() {
    return tracing;
  }

  /** Exports the spans still batched, waiting up to 10 s, and stops the exporter. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
