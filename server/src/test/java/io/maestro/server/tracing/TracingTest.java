package io.maestro.server.tracing;

import io.maestro.core.config.MaestroConfig;
import io.maestro.server.TestServers;
import java.nio.file.Path;
import java.util.Map;

/** Tracing on H2: the queue rows keep their trace context in the embedded database. */
class TracingTest extends TracingContract {
  @Override
  MaestroConfig config(Path dir, Map<String, String> overrides) {
    return TestServers.config(dir, overrides);
  }
}
