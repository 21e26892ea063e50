package io.maestro.server.chaos;

import io.maestro.core.config.MaestroConfig;
import io.maestro.core.config.Mode;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PdpFault;
import io.maestro.provenance.KeyRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's fault injection for chaos drills (ADR 0039): each fault acts on the real component —
 * the key ring stops signing, the decision point stops deciding or decides late — and ends by
 * itself at its time, so a fault that takes the policy down (and with it every request, including
 * the one that would lift it) cannot outlive the drill. Whether an operator may inject at all is
 * the policy's decision, made from {@link #facts}; {@link #inject} checks the configuration again
 * so that a server that was not configured for drills never breaks itself whatever a policy says.
 * Thread-safe.
 */
public final class Faults {
  /** The longest a fault lasts. */
  public static final Duration MAX = Duration.ofMinutes(10);

  private final MaestroConfig.Chaos config;
  private final Mode mode;
  private final KeyRing keys;
  private final DecisionPoint pdp;
  private final ExportThrottle exports;
  private final DbRestart db;
  private final Clock clock;
  private final Map<Scenario, Active> active = new EnumMap<>(Scenario.class);

  /** A fault in force until {@code until}. */
  public record Active(Scenario scenario, Instant since, Instant until, Duration latency) {}

  public Faults(
      MaestroConfig.Chaos config,
      Mode mode,
      KeyRing keys,
      DecisionPoint pdp,
      ExportThrottle exports,
      DbRestart db,
      Clock clock) {
    this.config = config;
    this.mode = mode;
    this.keys = keys;
    this.pdp = pdp;
    this.exports = exports;
    this.db = db;
    this.clock = clock;
  }

  /** Whether this server lets drills inject faults at all (configuration and mode). */
  public boolean permitted() {
    return config.enabled() && (mode == Mode.DEV || config.allowInProduction());
  }

  /**
   * What the policy decides an injection on ({@code input.request.fault}); {@code dbRestart} says
   * whether this server can restart its database ({@code ready}, {@code embedded}, {@code
   * unconfigured}).
   */
  public Map<String, Object> facts(String scenario) {
    return Map.of(
        "scenario",
        scenario,
        "enabled",
        config.enabled(),
        "production",
        mode == Mode.PROD,
        "allowInProduction",
        config.allowInProduction(),
        "dbRestart",
        db == null ? "embedded" : db.availability().name().toLowerCase(java.util.Locale.ROOT));
  }

  /** The database restart of the {@code db-restart} scenario. */
  public Optional<DbRestart> dbRestart() {
    return Optional.ofNullable(db);
  }

  /**
   * Starts {@code scenario} for {@code duration}.
   *
   * @throws IllegalStateException when this server is not configured for drills (the policy refuses
   *     before this is reached)
   */
  public synchronized Active inject(Scenario scenario, Duration duration, Duration latency) {
    return inject(scenario, duration, latency, o -> {});
  }

  /**
   * As {@link #inject(Scenario, Duration, Duration)}; {@code restarted} hears how a {@code
   * db-restart} went once the database answers again.
   */
  public synchronized Active inject(
      Scenario scenario,
      Duration duration,
      Duration latency,
      java.util.function.Consumer<DbRestart.Outcome> restarted) {
    if (!permitted()) {
      throw new IllegalStateException("fault injection is not enabled on this server");
    }
    Instant now = clock.instant();
    Instant until = now.plus(duration);
    switch (scenario) {
      case SIGNER_OUTAGE -> keys.suspend("injected fault: signer outage until " + until, until);
      case PDP_OUTAGE -> pdp.inject(PdpFault.outage(until));
      case PDP_LATENCY -> pdp.inject(PdpFault.latency(latency, until));
      case EXPORT_THROTTLE -> exports.start(until);
      case DB_RESTART -> {
        if (db == null) {
          throw new IllegalStateException("this server cannot restart its database");
        }
        db.start(until, restarted);
      }
    }
    if (scenario == Scenario.PDP_OUTAGE || scenario == Scenario.PDP_LATENCY) {
      // The decision point holds one fault: the newer replaces the other.
      active.remove(Scenario.PDP_OUTAGE);
      active.remove(Scenario.PDP_LATENCY);
    }
    Active a = new Active(scenario, now, until, latency);
    active.put(scenario, a);
    return a;
  }

  /** Ends {@code scenario} now; false when it was not in force. */
  public synchronized boolean clear(Scenario scenario) {
    boolean was = current().stream().anyMatch(a -> a.scenario() == scenario);
    switch (scenario) {
      case SIGNER_OUTAGE -> keys.resume();
      case PDP_OUTAGE, PDP_LATENCY -> pdp.inject(null);
      case EXPORT_THROTTLE -> exports.stop();
      case DB_RESTART -> {
        // A restart cannot be taken back; the window ends and the command is left to finish.
      }
    }
    active.remove(scenario);
    return was;
  }

  /** Pack writes the export throttle refused since the server started. */
  public long refusedWrites() {
    return exports.refused();
  }

  /** The faults in force now. */
  public synchronized List<Active> current() {
    Instant now = clock.instant();
    active.values().removeIf(a -> !now.isBefore(a.until()));
    return List.copyOf(new ArrayList<>(active.values()));
  }
}
