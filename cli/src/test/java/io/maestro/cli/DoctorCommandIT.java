package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro doctor} through bin/maestro: what it finds and what it says to do. */
class DoctorCommandIT {
  @TempDir Path dir;

  @Test
  void doctor_onAMachineWithoutBubblewrap_warnsAndSaysHowToInstallIt() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    // Every program of this machine except bwrap.
    for (String d : new String[] {"/usr/bin", "/bin"}) {
      try (Stream<Path> files = Files.list(Path.of(d))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path link = bin.resolve(f.getFileName().toString());
          if (!f.getFileName().toString().equals("bwrap") && !Files.exists(link)) {
            try {
              Files.createSymbolicLink(link, f);
            } catch (IOException ignored) {
              // a name that cannot be linked is not one the launcher needs
            }
          }
        }
      }
    }
    CliRunner.Result r =
        CliRunner.run(
            dir,
            Map.of("PATH", bin.toString(), "JAVA_HOME", System.getProperty("java.home")),
            "doctor",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout())
        .contains("ok    java")
        .containsPattern(
            "warn +bubblewrap +bwrap not found on PATH: core/exec tasks are unavailable")
        .contains("→ apt-get install bubblewrap")
        .contains("does not exist yet; the server will create it")
        .contains("embedded H2")
        .contains("optional feature(s) unavailable");
    assertThat(Files.exists(dir.resolve("data"))).as("doctor only looks").isFalse();
  }

  @Test
  void doctor_unreachableDatabaseAndBusyPort_failWithWhatToDo() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CliRunner.Result r =
          CliRunner.run(
              dir,
              Map.of(),
              "doctor",
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(busy.getLocalPort()),
              "--db-url",
              "jdbc:postgresql://127.0.0.1:1/test?password=hunter2");
      assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
      assertThat(r.stdout())
          .containsPattern(
              "fail +database +cannot connect to jdbc:postgresql://127.0.0.1:1/test\\?password=\\*\\*\\*")
          .contains("→ start PostgreSQL, or fix --db-url")
          .containsPattern("fail +port +127.0.0.1:" + busy.getLocalPort() + " is in use")
          .contains("→ stop it, or start the server with --port N")
          .contains("2 problem(s) to fix")
          .doesNotContain("hunter2");
    }
  }

  /** The port of a running server is fine: doctor asks it, through the Java client, who it is. */
  @Test
  void doctor_portOfARunningServer_isOkBecauseMaestroAnswers() throws Exception {
    Path srv = Files.createDirectories(dir.resolve("srv"));
    try (CliRunner.Running server = CliRunner.server(srv, Map.of())) {
      java.net.URI url = java.net.URI.create(server.url());
      CliRunner.Result r =
          CliRunner.run(
              dir,
              Map.of(),
              "doctor",
              "--host",
              url.getHost(),
              "--port",
              Integer.toString(url.getPort()),
              "--data-dir",
              dir.resolve("data").toString());
      assertThat(r.stdout())
          .as(r.stderr())
          .containsPattern(
              "ok +port +"
                  + url.getHost()
                  + ":"
                  + url.getPort()
                  + " is served by a running Maestro"
                  + " server");
    }
  }
}
