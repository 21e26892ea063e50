package io.maestro.core.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/**
 * Optional tracing (ADR 0045): the spans of an HTTP request, its policy decision, the database
 * transactions it runs, and the worker step attempts that continue its run. Modules take one {@code
 * Tracing} from the composition root; {@link #off()} — the default — opens no span, makes no
 * attribute and starts no thread, so a server without tracing pays one branch per call site.
 *
 * <p>Attributes carry identifiers only (tenant, run, step, decision, request ids, route templates,
 * status codes): never tokens, headers, inputs, outputs or SQL.
 */
public final class Tracing {
  /** The tenant a span works for (a request's target, a step attempt's run's tenant). */
  public static final String TENANT = "maestro.tenant";

  public static final String RUN_ID = "maestro.run_id";
  public static final String STEP_ID = "maestro.step_id";
  public static final String DECISION_ID = "maestro.decision_id";
  public static final String REQUEST_ID = "maestro.request_id";

  /** The W3C trace-context header a caller's trace arrives in and a queue row keeps. */
  public static final String TRACEPARENT = "traceparent";

  private static final Tracing OFF = new Tracing(null);
  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Tracer tracer;

  private Tracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** No tracing: every span is {@link Traced#NONE}. */
  public static Tracing off() {
    return OFF;
  }

  /** Spans through {@code otel}'s tracer provider (the server's SDK when tracing is configured). */
  public static Tracing of(OpenTelemetry otel) {
    return new Tracing(otel.getTracer("io.maestro"));
  }

  public boolean on() {
    return tracer != null;
  }

  /** A span under the current one (or a new trace), made current until it is closed. */
  public Traced span(String name, SpanKind kind) {
    if (tracer == null) {
      return Traced.NONE;
    }
    return Traced.start(tracer.spanBuilder(name).setSpanKind(kind).startSpan());
  }

  /**
   * A span only inside a traced request or step attempt: background polls (worker claims,
   * checkpoints, dispatchers) open no root spans of their own, so tracing stays about governed
   * work.
   */
  public Traced nested(String name, SpanKind kind) {
    if (tracer == null || !Span.current().getSpanContext().isValid()) {
      return Traced.NONE;
    }
    return span(name, kind);
  }

  /**
   * A span whose parent is the W3C {@code traceparent} value (a caller's header, a queue row's
   * column); a new trace when it is null or not a valid trace context.
   */
  public Traced spanUnder(String traceparent, String name, SpanKind kind) {
    if (tracer == null) {
      return Traced.NONE;
    }
    Context parent = Context.root();
    if (traceparent != null && !traceparent.isBlank()) {
      parent =
          W3CTraceContextPropagator.getInstance()
              .extract(Context.root(), Map.of(TRACEPARENT, traceparent.trim()), MAP_GETTER);
    }
    return Traced.start(tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).startSpan());
  }

  /**
   * Continues the trace {@code traceparent} names on this thread (work handed over from elsewhere,
   * such as a task leased to an external worker): with tracing on, a span under it; with tracing
   * off, only the remote context is made current — nothing is recorded, but calls made inside carry
   * it on ({@link #currentTraceParent()}), so what they report still joins the caller's trace.
   * Nothing at all when {@code traceparent} is absent or not a valid trace context and tracing is
   * off.
   */
  public Traced continueTrace(String traceparent, String name, SpanKind kind) {
    if (tracer != null) {
      return spanUnder(traceparent, name, kind);
    }
    if (traceparent == null || traceparent.isBlank()) {
      return Traced.NONE;
    }
    Context remote =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), Map.of(TRACEPARENT, traceparent.trim()), MAP_GETTER);
    if (!Span.fromContext(remote).getSpanContext().isValid()) {
      return Traced.NONE;
    }
    return new Remote(remote.makeCurrent());
  }

  /**
   * The current span's context as a W3C {@code traceparent} value, for work that continues it
   * elsewhere (a queue row a worker claims later); null outside a traced span, so with tracing off
   * nothing is stored.
   */
  public static String currentTraceParent() {
    if (!Span.current().getSpanContext().isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance()
        .inject(Context.current(), carrier, (c, k, v) -> c.put(k, v));
    return carrier.get(TRACEPARENT);
  }

  /** An open span, current on this thread until closed; closing ends it. */
  public static class Traced implements AutoCloseable {
    /** What every call returns with tracing off: records nothing. */
    public static final Traced NONE = new Traced();

    Traced() {}

    static Traced start(Span span) {
      return new Live(span, span.makeCurrent());
    }

    /** Adds an attribute; a null or empty value adds nothing. */
    public Traced attribute(String key, String value) {
      return this;
    }

    public Traced attribute(String key, long value) {
      return this;
    }

    /** Adds each of {@code fields} under {@code maestro.<name>} (the request's log fields). */
    public Traced attributes(Map<String, String> fields) {
      return this;
    }

    /**
     * Marks the span failed with the error's type only: messages may quote request data, so they
     * stay out of exported spans.
     */
    public Traced failed(Throwable error) {
      return this;
    }

    /** Marks the span failed with a short reason (a status class, an error code). */
    public Traced failed(String reason) {
      return this;
    }

    @Override
    public void close() {}
  }

  /** A caller's context made current without a span of our own (tracing off). */
  private static final class Remote extends Traced {
    private final Scope scope;

    Remote(Scope scope) {
      this.scope = scope;
    }

    @Override
    public void close() {
      scope.close();
    }
  }

  private static final class Live extends Traced {
    private final Span span;
    private final Scope scope;

    Live(Span span, Scope scope) {
      this.span = span;
      this.scope = scope;
    }

    @Override
    public Traced attribute(String key, String value) {
      if (value != null && !value.isEmpty()) {
        span.setAttribute(key, value);
      }
      return this;
    }

    @Override
    public Traced attribute(String key, long value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public Traced attributes(Map<String, String> fields) {
      fields.forEach((k, v) -> attribute("maestro." + k, v));
      return this;
    }

    @Override
    public Traced failed(Throwable error) {
      span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
      span.setAttribute("error.type", error.getClass().getName());
      return this;
    }

    @Override
    public Traced failed(String reason) {
      span.setStatus(StatusCode.ERROR, reason);
      span.setAttribute("error.type", reason);
      return this;
    }

    @Override
    public void close() {
      scope.close();
      span.end();
    }
  }
}
