package io.maestro.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.maestro.core.logging.LogFields;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, otherwise a
 * new one. The id is echoed in the response header, put in every log line, and in problems.
 */
public final class RequestIds implements Filter {
  public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String id =
        req.headers()
            .first(HEADER)
            .filter(v -> SAFE.matcher(v).matches())
            .orElseGet(() -> UUID.randomUUID().toString());
    LogFields.requestId(id);
    res.header(HEADER, id);
    try {
      chain.proceed();
    } finally {
      LogFields.clear();
    }
  }
}
