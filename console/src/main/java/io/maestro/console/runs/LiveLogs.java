package io.maestro.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.maestro.console.api.ApiClient;
import io.maestro.console.web.Page;
import io.maestro.console.web.SecurityHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's log as server-sent events ({@code text/event-stream}) for the run page's {@code live.js}:
 * it follows {@code GET /api/runs/{id}/logs?follow=true} with the user's token and turns each
 * NDJSON line into an {@code event: log} whose {@code id} is the line's {@code seq}, so a
 * reconnecting browser resumes after the last line it got ({@code Last-Event-ID}). When the API
 * ends the stream (the run ended and its log is drained, or the API's 30-minute limit) it sends
 * {@code event: end}. Another tenant's run is refused by the API before the stream starts.
 */
final class LiveLogs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveLogs() {}

  static void stream(Page p) throws IOException {
    long after = Math.max(number(p.query("after")), number(lastEventId(p)));
    Map<String, String> q = new LinkedHashMap<>();
    q.put("follow", "true");
    q.put("after", String.valueOf(after));
    String path = ApiClient.query("/api/runs/" + ApiClient.seg(p.param("id")) + "/logs", q);
    OutputStream[] out = {null};
    // The first line (or the end) opens the response, so a refusal before it is still a page.
    ApiClient.LineSink sink =
        line -> {
          if (line.isBlank()) {
            return;
          }
          JsonNode l = JSON.readTree(line);
          write(open(p, out), "id: " + l.path("seq").asLong() + "\nevent: log\ndata: " + line);
        };
    try {
      p.api().lines(path, sink);
      write(open(p, out), "event: end\ndata: {}");
      out[0].close();
    } catch (IllegalStateException e) {
      if (!Thread.currentThread().isInterrupted()) {
        throw e;
      }
      // The server is stopping: nothing more to send (the browser reconnects to another).
      if (out[0] == null) {
        p.res().status(io.helidon.http.Status.SERVICE_UNAVAILABLE_503).send();
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      if (out[0] == null) {
        throw e;
      }
      // The browser went away (or the API stream broke): the response is over either way, and
      // closing the API stream ends its follow loop.
    }
  }

  private static OutputStream open(Page p, OutputStream[] out) {
    if (out[0] == null) {
      SecurityHeaders.apply(p.res());
      SecurityHeaders.noStore(p.res());
      p.res().header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      p.res().header("X-Accel-Buffering", "no");
      out[0] = p.res().outputStream();
    }
    return out[0];
  }

  /** One event; a JSON line has no raw newline, so it is one {@code data:} line. */
  private static void write(OutputStream out, String event) throws IOException {
    out.write((event + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String lastEventId(Page p) {
    return p.req().headers().first(HeaderNames.create("Last-Event-ID")).orElse("");
  }

  private static long number(String s) {
    try {
      return s.isBlank() ? 0 : Math.max(0, Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
