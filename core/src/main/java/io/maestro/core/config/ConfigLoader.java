package io.maestro.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.core.sku.Sku;
import io.maestro.core.sku.SkuCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link MaestroConfig} from four layers, each overriding the one before: key defaults,
 * the config file ({@code --config}, {@code MAESTRO_CONFIG}, or {@code ./maestro.yaml} when it
 * exists), {@code MAESTRO_*} environment variables, and command-line flags. Every bad key is
 * reported, one line each, naming the key, the offending value and where it came from.
 */
public final class ConfigLoader {
  public static final String DEFAULT_FILE = "maestro.yaml";

  /** What {@code release.verify.keys} was called before it was a key; still read. */
  public static final String LEGACY_RELEASE_KEYS_ENV = "MAESTRO_RELEASE_KEYS";

  private final Map<String, String> env;
  private final Path workingDir;

  public ConfigLoader(Map<String, String> env, Path workingDir) {
    this.env = Map.copyOf(env);
    this.workingDir = workingDir;
  }

  /** Loads from the process environment and the current directory. */
  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(System.getenv(), Path.of("").toAbsolutePath());
  }

  /**
   * @param configFile an explicit config file (must exist), or empty to use {@code MAESTRO_CONFIG}
   *     or {@code ./maestro.yaml} if present
   * @param flags values from command-line flags, by key name
   * @throws ConfigException listing every problem
   */
  public MaestroConfig load(Optional<Path> configFile, Map<String, String> flags) {
    List<String> problems = new ArrayList<>();
    Map<String, Sourced> values = new LinkedHashMap<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      values.put(key.name(), new Sourced(key.defaultValue(), "default"));
    }

    Optional<Path> file = locateFile(configFile, problems);
    file.ifPresent(f -> readFile(f, values, problems));

    // The release keys' earlier environment variable, below the key's own.
    String legacyKeys = env.get(LEGACY_RELEASE_KEYS_ENV);
    if (legacyKeys != null) {
      values.put(
          ProvenanceKeys.RELEASE_VERIFY_KEYS.name(),
          new Sourced(legacyKeys, LEGACY_RELEASE_KEYS_ENV));
    }
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      String v = env.get(key.envVar());
      if (v != null) {
        values.put(key.name(), new Sourced(v, key.envVar()));
      }
    }
    flags.forEach(
        (name, v) -> {
          if (!ConfigKeys.BY_NAME.containsKey(name)) {
            throw new IllegalArgumentException("no configuration key " + name);
          }
          values.put(name, new Sourced(v, "command line"));
        });

    Map<String, Object> typed = new HashMap<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      Sourced s = values.get(key.name());
      if (s.value().isEmpty() && key.defaultValue().isEmpty()) {
        continue; // an unset optional key: its default is decided below
      }
      try {
        typed.put(key.name(), key.parser().apply(s.value()));
      } catch (IllegalArgumentException e) {
        String shown = key.secret() ? "***" : s.value();
        problems.add(
            key.name() + ": " + e.getMessage() + " (got '" + shown + "' from " + s.source() + ")");
      }
    }
    if (!typed.getOrDefault(AuthKeys.OIDC_ISSUER.name(), "").equals("")
        && typed.getOrDefault(AuthKeys.OIDC_JWKS_URL.name(), "").equals("")) {
      problems.add("auth.oidc.jwksUrl: must be set when auth.oidc.issuer is set");
    }
    if (typed.containsKey(ProvenanceKeys.RELEASE_VERIFY_DIR.name())
        && !typed.containsKey(ProvenanceKeys.RELEASE_VERIFY_KEYS.name())) {
      problems.add(
          "release.verify.keys: must name the release public keys (JWKS) for"
              + " release.verify.dir (--release-keys)");
    }
    if (!typed.getOrDefault(AuthKeys.OIDC_CLIENT_ID.name(), "").equals("")
        && typed.getOrDefault(AuthKeys.OIDC_ISSUER.name(), "").equals("")) {
      problems.add("auth.oidc.clientId: needs auth.oidc.issuer (the provider to sign in at)");
    }
    boolean bundle = typed.containsKey(PolicyKeys.BUNDLE_PATH.name());
    if (bundle
        && ((Map<?, ?>) typed.getOrDefault(PolicyKeys.BUNDLE_KEYS.name(), Map.of())).isEmpty()) {
      problems.add(
          "policy.bundle.keys: must name the keys that sign policy.bundle.path"
              + " (keyid=path/to/public.pem)");
    }
    if (!bundle
        && !typed
            .getOrDefault(PolicyKeys.BUNDLE_POLL.name(), java.time.Duration.ZERO)
            .equals(java.time.Duration.ZERO)) {
      problems.add("policy.bundle.pollSeconds: needs policy.bundle.path (the bundle to watch)");
    }
    if (((java.time.Duration) typed.get(GovernanceKeys.ROLLBACK_LONG_WINDOW.name()))
            .compareTo((java.time.Duration) typed.get(GovernanceKeys.ROLLBACK_SHORT_WINDOW.name()))
        < 0) {
      problems.add(
          "governance.rollback.longWindowSeconds: must be at least"
              + " governance.rollback.shortWindowSeconds");
    }
    editionAndSku(values, typed, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }

    Mode mode =
        (Mode) typed.getOrDefault(ServerKeys.MODE.name(), file.isPresent() ? Mode.PROD : Mode.DEV);
    MaestroConfig.LogFormat format =
        (MaestroConfig.LogFormat)
            typed.getOrDefault(
                ServerKeys.LOG_FORMAT.name(),
                mode == Mode.DEV ? MaestroConfig.LogFormat.TEXT : MaestroConfig.LogFormat.JSON);
    Path dataDir = workingDir.resolve((Path) typed.get(ServerKeys.DATA_DIR.name())).normalize();
    return new MaestroConfig(
        mode,
        dataDir,
        new MaestroConfig.Server(
            get(typed, ServerKeys.HOST),
            get(typed, ServerKeys.PORT),
            get(typed, ServerKeys.MAX_BODY_BYTES),
            get(typed, ServerKeys.SHUTDOWN_GRACE),
            get(typed, ServerKeys.IDLE_TIMEOUT),
            get(typed, ServerKeys.MAX_CONNECTIONS),
            get(typed, ServerKeys.DEV_ALLOW_REMOTE)),
        new MaestroConfig.Database(
            text(typed, DatabaseKeys.URL),
            text(typed, DatabaseKeys.USER),
            text(typed, DatabaseKeys.PASSWORD),
            get(typed, DatabaseKeys.POOL_SIZE),
            text(typed, DatabaseKeys.SCHEMA),
            text(typed, DatabaseKeys.RLS_ROLE)),
        new MaestroConfig.Log(format, get(typed, ServerKeys.LOG_LEVEL)),
        file,
        new MaestroConfig.Auth(
            text(typed, AuthKeys.OIDC_ISSUER),
            text(typed, AuthKeys.OIDC_JWKS_URL),
            get(typed, AuthKeys.OIDC_AUDIENCE),
            text(typed, AuthKeys.OIDC_CLIENT_ID),
            text(typed, AuthKeys.OIDC_CLIENT_SECRET),
            text(typed, AuthKeys.OIDC_REDIRECT_URI)),
        new MaestroConfig.Provenance(
            get(typed, ProvenanceKeys.ORIGIN),
            get(typed, ProvenanceKeys.CHECKPOINT_INTERVAL),
            get(typed, ProvenanceKeys.CHECKPOINT_EVERY_RECEIPTS),
            resolved(typed, ProvenanceKeys.PACKAGES_TRUSTED_KEYS)),
        policy(typed),
        new MaestroConfig.Engine(
            get(typed, EngineKeys.WORKERS),
            get(typed, EngineKeys.LEASE),
            get(typed, EngineKeys.POLL),
            engineHosts(typed),
            get(typed, EngineKeys.HTTP_MAX_RESPONSE_BYTES),
            get(typed, EngineKeys.LOG_CAP_BYTES),
            new MaestroConfig.Limits(
                get(typed, EngineKeys.MAX_TASKS),
                get(typed, EngineKeys.MAX_STEP_OUTPUT_BYTES),
                get(typed, EngineKeys.MAX_RUN_OUTPUT_BYTES),
                get(typed, EngineKeys.MAX_EXPRESSION_RESULT_BYTES),
                get(typed, EngineKeys.SANDBOX_MAX_MEMORY_BYTES),
                get(typed, EngineKeys.SANDBOX_MAX_CPU_SECONDS),
                get(typed, EngineKeys.SANDBOX_MAX_PROCESSES))),
        sandbox(typed),
        new MaestroConfig.Governance(
            get(typed, GovernanceKeys.ROLLBACK_INTERVAL),
            get(typed, GovernanceKeys.ROLLBACK_ERROR_RATE),
            get(typed, GovernanceKeys.ROLLBACK_MIN_RUNS),
            get(typed, GovernanceKeys.ROLLBACK_SHORT_WINDOW),
            get(typed, GovernanceKeys.ROLLBACK_LONG_WINDOW),
            get(typed, GovernanceKeys.ROLLBACK_RECEIPT_BACKLOG),
            resolved(typed, GovernanceKeys.SLO_FILE),
            get(typed, GovernanceKeys.SLO_EVALUATION_INTERVAL)),
        new MaestroConfig.Retention(
            get(typed, GovernanceKeys.RETENTION_INTERVAL),
            get(typed, GovernanceKeys.RETENTION_BATCH_SIZE),
            get(typed, GovernanceKeys.RETENTION_MAX_BATCHES),
            optionalInt(typed, GovernanceKeys.RETENTION_MIN_DAYS),
            optionalInt(typed, GovernanceKeys.RETENTION_MAX_DAYS)),
        new MaestroConfig.Schedules(
            get(typed, EngineKeys.SCHEDULES_MIN_INTERVAL),
            get(typed, EngineKeys.SCHEDULES_POLL),
            get(typed, EngineKeys.TRIGGERS_WEBHOOK_TOLERANCE)),
        new MaestroConfig.Evidence(
            get(typed, GovernanceKeys.EVIDENCE_RESIDENCY_INTERVAL),
            resolved(typed, GovernanceKeys.EVIDENCE_RELEASE_DIR)),
        new MaestroConfig.Chaos(
            get(typed, OperationsKeys.CHAOS_ENABLED),
            get(typed, OperationsKeys.CHAOS_ALLOW_IN_PRODUCTION),
            get(typed, OperationsKeys.CHAOS_DB_RESTART_COMMAND)),
        tracing(typed),
        new MaestroConfig.Release(
            resolved(typed, ProvenanceKeys.RELEASE_VERIFY_DIR),
            resolved(typed, ProvenanceKeys.RELEASE_VERIFY_KEYS)));
  }

  @SuppressWarnings("unchecked")
  private static MaestroConfig.Tracing tracing(Map<String, Object> typed) {
    return new MaestroConfig.Tracing(
        get(typed, OperationsKeys.TRACING_ENABLED),
        get(typed, OperationsKeys.TRACING_OTLP_ENDPOINT),
        (Map<String, String>)
            typed.getOrDefault(OperationsKeys.TRACING_OTLP_HEADERS.name(), Map.of()),
        get(typed, OperationsKeys.TRACING_OTLP_TIMEOUT),
        get(typed, OperationsKeys.TRACING_SAMPLE_RATIO),
        get(typed, OperationsKeys.TRACING_SERVICE_NAME));
  }

  /** A relative bubblewrap path is relative to the working directory, like the data directory. */
  @SuppressWarnings("unchecked")
  private MaestroConfig.Sandbox sandbox(Map<String, Object> typed) {
    return new MaestroConfig.Sandbox(
        resolved(typed, EngineKeys.SANDBOX_BWRAP),
        (List<String>) typed.getOrDefault(EngineKeys.SANDBOX_SECCOMP_ALLOW.name(), List.of()),
        text(typed, EngineKeys.SANDBOX_APPARMOR_PROFILE));
  }

  /** Bundle and key paths are relative to the working directory, like the data directory. */
  @SuppressWarnings("unchecked")
  private MaestroConfig.Policy policy(Map<String, Object> typed) {
    Map<String, Path> keys = new LinkedHashMap<>();
    ((Map<String, Path>) typed.getOrDefault(PolicyKeys.BUNDLE_KEYS.name(), Map.of()))
        .forEach((id, p) -> keys.put(id, workingDir.resolve(p).normalize()));
    String scope = text(typed, PolicyKeys.BUNDLE_SCOPE);
    return new MaestroConfig.Policy(
        get(typed, PolicyKeys.EDITION),
        get(typed, PolicyKeys.DEFAULT_PROFILE),
        get(typed, PolicyKeys.DEADLINE),
        resolved(typed, PolicyKeys.BUNDLE_PATH),
        keys,
        scope.isEmpty() ? Optional.empty() : Optional.of(scope),
        get(typed, PolicyKeys.BUNDLE_POLL),
        get(typed, PolicyKeys.DECISION_LOG),
        text(typed, ServerKeys.SKU));
  }

  /**
   * {@code edition} sets {@code policy.edition}; {@code sku} must be one of the edition's SKUs (its
   * default when empty); a configured SKU's policy profile is the default profile unless one is
   * configured too.
   */
  private static void editionAndSku(
      Map<String, Sourced> values, Map<String, Object> typed, List<String> problems) {
    String edition = text(typed, ServerKeys.EDITION);
    if (!edition.isEmpty()) {
      typed.put(PolicyKeys.EDITION.name(), edition);
    }
    String effective = (String) typed.get(PolicyKeys.EDITION.name());
    if (effective == null) {
      return; // policy.edition itself is wrong and already reported
    }
    Sourced sku = values.get(ServerKeys.SKU.name());
    try {
      Sku chosen = SkuCatalog.shipped().select(effective, sku.value());
      // Kept empty when not configured: the default SKU gates nothing, so inputs stay as they were.
      typed.put(ServerKeys.SKU.name(), sku.value().isEmpty() ? "" : chosen.name());
      // Only a SKU chosen on purpose moves the default profile: an edition's default SKU keeps
      // the profile an existing installation had.
      if (!sku.value().isEmpty()
          && "default".equals(values.get(PolicyKeys.DEFAULT_PROFILE.name()).source())) {
        typed.put(PolicyKeys.DEFAULT_PROFILE.name(), chosen.policyProfile());
      }
    } catch (IllegalArgumentException e) {
      problems.add(
          "sku: " + e.getMessage() + " (got '" + sku.value() + "' from " + sku.source() + ")");
    }
  }

  /** An unset allowlist (empty by default) is no egress. */
  @SuppressWarnings("unchecked")
  private static List<String> engineHosts(Map<String, Object> typed) {
    return (List<String>) typed.getOrDefault(EngineKeys.HTTP_ALLOWED_HOSTS.name(), List.of());
  }

  @SuppressWarnings("unchecked")
  private static java.util.OptionalInt optionalInt(
      Map<String, Object> typed, ConfigKey<Integer> key) {
    Object v = typed.get(key.name());
    return v == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((Integer) v);
  }

  private static <T> T get(Map<String, Object> typed, ConfigKey<T> key) {
    return (T) typed.get(key.name());
  }

  /** A text key's value; empty when unset. */
  private static String text(Map<String, Object> typed, ConfigKey<String> key) {
    return (String) typed.getOrDefault(key.name(), "");
  }

  /** A path key's value resolved against the working directory, like the data directory. */
  private Optional<Path> resolved(Map<String, Object> typed, ConfigKey<Path> key) {
    return Optional.ofNullable(get(typed, key)).map(p -> workingDir.resolve(p).normalize());
  }

  private Optional<Path> locateFile(Optional<Path> explicit, List<String> problems) {
    Optional<Path> named =
        explicit.or(() -> Optional.ofNullable(env.get("MAESTRO_CONFIG")).map(Path::of));
    if (named.isPresent()) {
      Path p = workingDir.resolve(named.get());
      if (!Files.isRegularFile(p)) {
        problems.add("config file " + p + " does not exist");
        return Optional.empty();
      }
      return Optional.of(p);
    }
    Path implicit = workingDir.resolve(DEFAULT_FILE);
    return Files.isRegularFile(implicit) ? Optional.of(implicit) : Optional.empty();
  }

  private static void readFile(Path file, Map<String, Sourced> values, List<String> problems) {
    JsonNode root;
    try {
      root = Json.YAML.readTree(file.toFile());
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().get();
      problems.add(file.getFileName() + ": not valid YAML: " + msg);
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file configures nothing
    }
    if (!root.isObject()) {
      problems.add(file.getFileName() + ": must be a mapping of keys to values");
      return;
    }
    flatten("", root, file.getFileName().toString(), values, problems);
  }

  private static void flatten(
      String prefix,
      JsonNode node,
      String source,
      Map<String, Sourced> values,
      List<String> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject() && !ConfigKeys.BY_NAME.containsKey(name)) {
        flatten(name + ".", v, source, values, problems);
      } else if (!ConfigKeys.BY_NAME.containsKey(name)) {
        problems.add(name + ": unknown configuration key (in " + source + ")");
      } else if (v.isContainerNode()) {
        problems.add(name + ": must be a single value (in " + source + ")");
      } else {
        values.put(name, new Sourced(v.isNull() ? "" : v.asText(), source));
      }
    }
  }

  private record Sourced(String value, String source) {}
}
