package io.maestro.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import org.junit.jupiter.api.Test;

/** Tracing off is the default and records nothing: every span is the shared no-op. */
class TracingOffTest {
  @Test
  void off_opensNoSpanAndLeavesNoTraceContext() {
    Tracing off = Tracing.off();
    assertThat(off.on()).isFalse();
    try (Tracing.Traced s = off.span("anything", SpanKind.SERVER)) {
      assertThat(s).isSameAs(Tracing.Traced.NONE);
      assertThat(s.attribute("k", "v").attribute("n", 1).failed("x")).isSameAs(s);
      // Nothing became current, so work enqueued here keeps no trace context.
      assertThat(Tracing.currentTraceParent()).isNull();
    }
    assertThat(
            off.spanUnder(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "x", SpanKind.CONSUMER))
        .isSameAs(Tracing.Traced.NONE);
    assertThat(off.nested("db.transaction", SpanKind.CLIENT)).isSameAs(Tracing.Traced.NONE);
  }
}
