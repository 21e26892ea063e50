package io.maestro.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test: a server killed with {@code kill -9} left its {@code maestro-sandbox-*} state
 * directory behind forever. The next sandbox removes such directories, and only those whose owner
 * is dead.
 */
class SandboxStaleDirectoriesTest {
  @TempDir Path stateDir;

  @Test
  void create_removesDirectoriesOfKilledProcesses_keepsThoseOfLiveOnes() throws Exception {
    // The sandbox user must traverse the state directory (a JUnit temp dir is 0700).
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx--x--x"));
    SandboxConfig config = SandboxConfig.defaults().withStateDir(stateDir);
    try (Sandbox mine = SandboxFixture.start(config)) {
      Path mineDir = only(sandboxDirs());
      Process live = owner();
      Path liveDir = only(without(sandboxDirs(), Set.of(mineDir)));
      Process killed = owner();
      try {
        Path killedDir = only(without(sandboxDirs(), Set.of(mineDir, liveDir)));
        killed.destroyForcibly(); // SIGKILL: the process cannot delete its directory
        assertThat(killed.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sandboxDirs()).as("left behind by the kill").contains(killedDir);

        try (Sandbox next = Sandbox.create(config)) {
          Set<Path> after = sandboxDirs();
          assertThat(after).doesNotContain(killedDir).contains(mineDir, liveDir).hasSize(3);
          assertThat(mine.run(SandboxRequest.of(List.of("true"))).exitCode()).isZero();
        }
      } finally {
        live.destroyForcibly();
        killed.destroyForcibly();
        live.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private static Set<Path> without(Set<Path> all, Set<Path> known) {
    Set<Path> rest = new HashSet<>(all);
    rest.removeAll(known);
    return rest;
  }

  private static Path only(Set<Path> dirs) {
    assertThat(dirs).hasSize(1);
    return dirs.iterator().next();
  }

  /** Starts a process that opens a sandbox in {@link #stateDir} and returns once it has. */
  private Process owner() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StaleSandboxOwner.class.getName(),
                stateDir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the owner process opened its sandbox").startsWith("ready");
    return p;
  }

  private Set<Path> sandboxDirs() throws IOException {
    try (Stream<Path> s = Files.list(stateDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("maestro-sandbox-"))
          .collect(Collectors.toSet());
    }
  }
}
