package io.maestro.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Maestro-only load harness: {@link EngineBench} with {@code --engine maestro}. Kept for its
 * options: {@code --concurrent N} (the burst), {@code --runs N}, {@code --pool N}, {@code --pg},
 * {@code --pg-url}, {@code --pg-user}, {@code --open-seconds N}.
 */
public final class LoadHarness {
  private LoadHarness() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = EngineBench.options(args);
    List<String> forwarded = new ArrayList<>(List.of("--engine", "maestro"));
    forwarded.addAll(List.of("--db", opt.containsKey("pg") ? "pg" : "h2"));
    forwarded.addAll(List.of("--burst", opt.getOrDefault("concurrent", "1000")));
    for (String key : List.of("runs", "pool", "pg-url", "pg-user", "open-seconds", "out")) {
      if (opt.containsKey(key)) {
        forwarded.addAll(List.of("--" + key, opt.get(key)));
      }
    }
    EngineBench.main(forwarded.toArray(String[]::new));
  }
}
