package io.maestro.core.config;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The index of every configuration key Maestro reads, declared by area in {@link ServerKeys},
 * {@link DatabaseKeys}, {@link AuthKeys}, {@link ProvenanceKeys}, {@link PolicyKeys}, {@link
 * EngineKeys}, {@link GovernanceKeys} and {@link OperationsKeys}. {@code docs/configuration.md}
 * documents each of them.
 */
public final class ConfigKeys {
  public static final List<ConfigKey<?>> ALL =
      Stream.of(
              ServerKeys.ALL,
              DatabaseKeys.ALL,
              AuthKeys.ALL,
              ProvenanceKeys.ALL,
              PolicyKeys.ALL,
              EngineKeys.ALL,
              GovernanceKeys.ALL,
              OperationsKeys.ALL)
          .flatMap(List::stream)
          .collect(Collectors.toUnmodifiableList());

  static final Map<String, ConfigKey<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(ConfigKey::name, k -> k));

  private ConfigKeys() {}
}
