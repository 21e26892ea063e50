package io.maestro.core.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its dotted name (as written in {@code maestro.yaml}), its default, what it
 * means, and how a text value becomes a typed one. A parser throws {@link IllegalArgumentException}
 * whose message says what a valid value looks like.
 *
 * @param secret whether the value must never be printed (passwords, keys)
 */
public record ConfigKey<T>(
    String name,
    String defaultValue,
    String description,
    Function<String, T> parser,
    boolean secret) {

  /**
   * The environment variable that overrides this key: {@code server.maxBodyBytes} → {@code
   * MAESTRO_SERVER_MAX_BODY_BYTES}.
   */
  public String envVar() {
    StringBuilder out = new StringBuilder("MAESTRO_");
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        out.append('_').append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }
}
