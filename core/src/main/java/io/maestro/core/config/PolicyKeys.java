package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.EDITIONS;
import static io.maestro.core.config.KeySpec.choice;
import static io.maestro.core.config.KeySpec.key;
import static io.maestro.core.config.KeySpec.millis;
import static io.maestro.core.config.KeySpec.path;
import static io.maestro.core.config.KeySpec.seconds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Policy decisions: the governance profile, the deadline, the bundle and the decision log. */
public final class PolicyKeys {
  public static final ConfigKey<String> EDITION =
      choice("policy.edition", "internal", EDITIONS)
          .doc(
              "`internal`, `white-label` or `saas`: selects the governance profile"
                  + " `conductor-governance-<edition>` every decision is made under.");
  public static final ConfigKey<String> DEFAULT_PROFILE =
      key("policy.defaultProfile", "internal-default", ConfigValues::nonBlank)
          .doc(
              "Policy profile of tenants that have none assigned; must be a profile of the active"
                  + " bundle.");
  public static final ConfigKey<Duration> DEADLINE =
      millis("policy.deadlineMs", "50", 1, 60_000)
          .doc(
              "Longest one policy evaluation may take before the decision fails closed, in"
                  + " milliseconds.");
  public static final ConfigKey<Path> BUNDLE_PATH =
      path("policy.bundle.path")
          .doc(
              "A signed OPA bundle (`.tar.gz` or directory) activated over the built-in canon"
                  + " bundle. Empty: the canon bundle only.");
  public static final ConfigKey<Map<String, Path>> BUNDLE_KEYS =
      key("policy.bundle.keys", "", ConfigValues::parseKeyFiles)
          .doc(
              "Public keys that may sign `policy.bundle.path`: comma-separated"
                  + " `keyid=path/to/public.pem`.");
  public static final ConfigKey<String> BUNDLE_SCOPE =
      key("policy.bundle.scope", "", String::trim)
          .doc("The `scope` claim the bundle's signature must carry. Empty: none.");
  public static final ConfigKey<Duration> BUNDLE_POLL =
      seconds("policy.bundle.pollSeconds", "0", 0, 86_400)
          .doc(
              "How often to look for a new revision of `policy.bundle.path`; 0: no hot"
                  + " reload.");
  public static final ConfigKey<MaestroConfig.DecisionLogMode> DECISION_LOG =
      key(
              "policy.decisionLog",
              "database",
              v -> ConfigValues.parseEnum(MaestroConfig.DecisionLogMode.class, v))
          .doc(
              "Where decisions are recorded: `database` (table `policy_decisions`), `memory` or"
                  + " `off`.");

  static final List<ConfigKey<?>> ALL =
      List.of(
          EDITION,
          DEFAULT_PROFILE,
          DEADLINE,
          BUNDLE_PATH,
          BUNDLE_KEYS,
          BUNDLE_SCOPE,
          BUNDLE_POLL,
          DECISION_LOG);

  private PolicyKeys() {}
}
