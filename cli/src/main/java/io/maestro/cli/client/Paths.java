package io.maestro.cli.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds API paths from user input: every segment and query value is percent-encoded. */
public final class Paths {
  private Paths() {}

  /** One path segment or query value, encoded. */
  public static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
