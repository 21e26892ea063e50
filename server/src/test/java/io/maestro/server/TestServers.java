package io.maestro.server;

import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.MaestroConfig;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
}
