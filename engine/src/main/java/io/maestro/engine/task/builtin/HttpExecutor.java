package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.JsonText;
import io.maestro.engine.manifest.Durations;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.task.Secrets;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code core/http}: one HTTP request. Parameters: {@code url} (required; http or https, host on
 * the egress allowlist), {@code method} (default GET), {@code headers}, {@code body} (a string, or
 * JSON for anything else), {@code timeout} (default from settings), {@code expectedStatus} (a code
 * or a list; default any 2xx).
 *
 * <p>Secrets are referenced as {@code ${secret:NAME}} inside the url, header values or body; they
 * are resolved at send time and their values are redacted from every log line, error and output.
 * Redirects are not followed (a redirect could leave the allowlist).
 *
 * <p>Delivery: at-least-once. Each request carries an {@code Idempotency-Key} header (the attempt's
 * key, unless the task sets one) so a server that honours it can drop a redelivered request.
 * Errors: a disallowed host, an unknown secret or an unexpected 4xx status are user errors; a 5xx
 * or 429 status and I/O failures are platform errors (retried by default); a request past its
 * timeout is a timeout. Output: {@code {status, headers{content-type}, body, json?, truncated}}.
 */
public final class HttpExecutor implements TaskExecutor {
  private static final Pattern SECRET = Pattern.compile("\\$\\{secret:([A-Za-z0-9_.-]+)}");
  private static final Set<String> KEYS =
      Set.of("url", "method", "headers", "body", "timeout", "expectedStatus");

  private final HttpSettings settings;
  private final Secrets secrets;
  private final HttpClient client;

  public HttpExecutor(HttpSettings settings, Secrets secrets) {
    this.settings = settings;
    this.secrets = secrets;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @Override
  public String type() {
    return "core/http";
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p = new ArrayList<>(TaskExecutor.unknownKeys(with, KEYS));
    p.addAll(TaskExecutor.require(with, "url"));
    p.addAll(TaskExecutor.duration(with, "timeout"));
    return p;
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) throws InterruptedException {
    List<String> used = new ArrayList<>();
    try {
      String url = substitute(ctx, ctx.string("url", ""), used);
      URI uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        return fail(ErrorKind.USER, "only http and https URLs are allowed", used);
      }
      if (!settings.allows(uri.getHost())) {
        return fail(
            ErrorKind.USER,
            "egress to host '" + uri.getHost() + "' is not allowed (engine http allowlist)",
            used);
      }
      String method = ctx.string("method", "GET").toUpperCase(java.util.Locale.ROOT);
      Duration timeout =
          ctx.with().get("timeout") == null
              ? settings.defaultTimeout()
              : Durations.parse(ctx.string("timeout", "30s"));
      HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout);
      boolean idempotencyKeySet = false;
      if (ctx.with().get("headers") instanceof Map<?, ?> h) {
        for (Map.Entry<?, ?> e : h.entrySet()) {
          String name = String.valueOf(e.getKey());
          idempotencyKeySet |= name.equalsIgnoreCase("Idempotency-Key");
          rb.header(name, substitute(ctx, String.valueOf(e.getValue()), used));
        }
      }
      if (!idempotencyKeySet) {
        rb.header("Idempotency-Key", ctx.idempotencyKey());
      }
      Object body = ctx.with().get("body");
      HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
      if (body != null) {
        String text = body instanceof String s ? s : JsonText.write(body);
        if (!(body instanceof String)) {
          rb.header("Content-Type", "application/json");
        }
        publisher = HttpRequest.BodyPublishers.ofString(substitute(ctx, text, used));
      }
      rb.method(method, publisher);
      HttpResponse<InputStream> resp =
          client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] bytes;
      boolean truncated;
      try (InputStream in = resp.body()) {
        bytes = in.readNBytes(settings.maxResponseBytes());
        truncated = in.read() != -1;
      }
      String text = redact(new String(bytes, StandardCharsets.UTF_8), used);
      String contentType = resp.headers().firstValue("content-type").orElse("");
      ctx.log()
          .info(
              method
                  + " "
                  + redact(url, used)
                  + " -> "
                  + resp.statusCode()
                  + " ("
                  + bytes.length
                  + (truncated ? "+ bytes, cut)" : " bytes)"));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("status", resp.statusCode());
      out.put("headers", Map.of("content-type", contentType));
      out.put("body", text);
      out.put("truncated", truncated);
      if (!truncated && contentType.contains("json") && !text.isBlank()) {
        try {
          out.put("json", JsonText.MAPPER.readValue(text, Object.class));
        } catch (IOException e) {
          // Not JSON after all: the text body is still there.
        }
      }
      if (!expected(ctx.with().get("expectedStatus"), resp.statusCode())) {
        int s = resp.statusCode();
        ErrorKind kind = s >= 500 || s == 429 ? ErrorKind.PLATFORM : ErrorKind.USER;
        return fail(kind, "unexpected status " + s + " from " + redact(url, used), used);
      }
      return new TaskOutcome.Succeeded(out);
    } catch (UnknownSecret e) {
      return new TaskOutcome.Failed(ErrorKind.USER, "unknown secret '" + e.getMessage() + "'");
    } catch (HttpTimeoutException e) {
      return fail(ErrorKind.TIMEOUT, "request timed out", used);
    } catch (IOException e) {
      return fail(ErrorKind.PLATFORM, "request failed: " + e, used);
    } catch (IllegalArgumentException e) {
      return fail(ErrorKind.USER, "bad request: " + e.getMessage(), used);
    }
  }

  private static boolean expected(Object spec, int status) {
    if (spec == null) {
      return status >= 200 && status < 300;
    }
    if (spec instanceof Number n) {
      return n.intValue() == status;
    }
    if (spec instanceof List<?> l) {
      return l.stream().anyMatch(x -> x instanceof Number n && n.intValue() == status);
    }
    return String.valueOf(spec).equals(String.valueOf(status));
  }

  private String substitute(TaskContext ctx, String text, List<String> used) {
    Matcher m = SECRET.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = secrets.resolve(ctx.tenant(), name).orElseThrow(() -> new UnknownSecret(name));
      used.add(value);
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String redact(String text, List<String> secretValues) {
    String out = text;
    for (String s : secretValues) {
      if (!s.isEmpty()) {
        out = out.replace(s, "***");
      }
    }
    return out;
  }

  private static TaskOutcome fail(ErrorKind kind, String message, List<String> used) {
    return new TaskOutcome.Failed(kind, redact(message, used));
  }

  private static final class UnknownSecret extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownSecret(String name) {
      super(name, null, false, false);
    }
  }
}
