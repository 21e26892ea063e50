package io.maestro.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A configuration key before its description: its name, default and parser, in the shapes the keys
 * share (a bounded number, a byte size, seconds, milliseconds, a path, a flag, a choice). {@link
 * #doc} completes it, so a declaration reads as the key's facts, then what it means.
 */
record KeySpec<T>(String name, String defaultValue, Function<String, T> parser, boolean secret) {

  /** The editions a server can be deployed as, for {@code edition} and {@code policy.edition}. */
  static final List<String> EDITIONS = List.of("internal", "white-label", "saas");

  static <T> KeySpec<T> key(String name, String defaultValue, Function<String, T> parser) {
    return new KeySpec<>(name, defaultValue, parser, false);
  }

  /** A whole number from {@code min} to {@code max}. */
  static KeySpec<Integer> number(String name, String defaultValue, int min, int max) {
    return key(name, defaultValue, v -> ConfigValues.parseInt(v, min, max));
  }

  /** A size in bytes of at least {@code min}, below 2 GiB. */
  static KeySpec<Long> bytes(String name, String defaultValue, int min) {
    return key(name, defaultValue, v -> (long) ConfigValues.parseInt(v, min, Integer.MAX_VALUE));
  }

  /** A duration written as whole seconds from {@code min} to {@code max}. */
  static KeySpec<Duration> seconds(String name, String defaultValue, int min, int max) {
    return key(name, defaultValue, v -> Duration.ofSeconds(ConfigValues.parseInt(v, min, max)));
  }

  /** A duration written as whole milliseconds from {@code min} to {@code max}. */
  static KeySpec<Duration> millis(String name, String defaultValue, int min, int max) {
    return key(name, defaultValue, v -> Duration.ofMillis(ConfigValues.parseInt(v, min, max)));
  }

  /** A file or directory; unset by default. */
  static KeySpec<Path> path(String name) {
    return key(name, "", ConfigValues::parsePath);
  }

  /** {@code true} or {@code false}; off by default. */
  static KeySpec<Boolean> flag(String name) {
    return key(name, "false", ConfigValues::parseBoolean);
  }

  /** One of {@code allowed}, in any case. */
  static KeySpec<String> choice(String name, String defaultValue, List<String> allowed) {
    return key(name, defaultValue, v -> ConfigValues.parseChoice(v, allowed));
  }

  /** The same key, whose value is never printed (passwords, keys). */
  KeySpec<T> asSecret() {
    return new KeySpec<>(name, defaultValue, parser, true);
  }

  ConfigKey<T> doc(String description) {
    return new ConfigKey<>(name, defaultValue, description, parser, secret);
  }
}
