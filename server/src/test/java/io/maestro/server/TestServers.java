package io.maestro.server;

import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.run.RunQueries;
import io.maestro.policy.DecisionLog;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.Receipts;
import io.maestro.server.auth.BudgetSource;
import io.maestro.server.auth.ControlInput;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.server.http.ApiService;
import io.maestro.server.tenancy.ModuleUsage;
import io.maestro.store.Database;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Starts real servers on a random port with a throwaway data directory. */
public final class TestServers {
  private TestServers() {}

  public static MaestroConfig config(Path dataDir, Map<String, String> overrides) {
    Map<String, String> flags = new HashMap<>();
    flags.put("server.port", "0");
    flags.put("server.host", "127.0.0.1");
    flags.put("dataDir", dataDir.toString());
    flags.put("log.level", "WARN");
    flags.putAll(overrides);
    return new ConfigLoader(Map.of(), dataDir).load(Optional.empty(), flags);
  }

  public static MaestroServer start(Path dataDir) {
    return start(dataDir, ScopeGuard.ENFORCING);
  }

  public static MaestroServer start(Path dataDir, ScopeGuard guard) {
    return MaestroServer.start(config(dataDir, Map.of()), guard);
  }

  /** The tenancy endpoints over {@code g} (dev tokens among them), as the server builds them. */
  public static List<ApiService> tenancyServices(Governance g) {
    return Composition.tenancy(g, Clock.systemUTC());
  }

  /**
   * Governance as the server wires it (policy runtime on the configured bundle, usage from the
   * modules' query APIs), for tests that serve the gate without a whole server.
   */
  public static Governance governance(
      MaestroConfig config,
      Database db,
      Receipts receipts,
      ReceiptLog log,
      Clock clock,
      RandomGenerator random) {
    PolicyRuntime policy =
        PolicyRuntime.start(config.policy(), db, clock, random, DecisionLog.NONE);
    try {
      return Governance.start(
          config,
          db,
          receipts,
          policy,
          new ModuleUsage(db, RunQueries.on(db), log, clock),
          BudgetSource.CAPS_ONLY,
          clock,
          ScopeGuard.ENFORCING,
          ControlInput.NONE);
    } catch (RuntimeException e) {
      policy.close();
      throw e;
    }
  }
}
