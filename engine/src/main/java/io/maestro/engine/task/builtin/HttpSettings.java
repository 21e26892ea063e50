package io.maestro.engine.task.builtin;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Egress rules for {@code core/http}.
 *
 * @param allowedHosts host names tasks may call: exact ({@code api.example.com}) or a suffix
 *     pattern ({@code *.example.com}, which does not match {@code example.com} itself). Empty: no
 *     egress at all.
 * @param maxResponseBytes the most response body kept as output; the rest is cut and flagged
 * @param defaultTimeout the request timeout when the task gives none
 */
public record HttpSettings(
    List<String> allowedHosts, int maxResponseBytes, Duration defaultTimeout) {
  public HttpSettings {
    allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
    if (maxResponseBytes < 0) {
      throw new IllegalArgumentException("maxResponseBytes must be >= 0");
    }
  }

  public static HttpSettings denyAll() {
    return new HttpSettings(List.of(), 256 * 1024, Duration.ofSeconds(30));
  }

  public static HttpSettings allow(List<String> hosts) {
    return new HttpSettings(hosts, 256 * 1024, Duration.ofSeconds(30));
  }

  public boolean allows(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    for (String a : allowedHosts) {
      if (a.startsWith("*.") ? h.endsWith(a.substring(1)) : h.equals(a)) {
        return true;
      }
    }
    return false;
  }
}
