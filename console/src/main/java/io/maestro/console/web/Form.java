package io.maestro.console.web;

import io.helidon.webserver.http.ServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A submitted {@code application/x-www-form-urlencoded} form. */
public record Form(Map<String, String> fields) {
  public static Form read(ServerRequest req) {
    String body = req.content().hasEntity() ? req.content().as(String.class) : "";
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      fields.putIfAbsent(k, v);
    }
    return new Form(Map.copyOf(fields));
  }

  public String get(String name) {
    return fields.getOrDefault(name, "").trim();
  }
}
