package io.maestro.cli.release;

import io.maestro.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code maestro release sign} over this build's artifacts, for the end-to-end tests. */
public final class SignedBuild {
  private SignedBuild() {}

  /**
   * Signs {@code jar} (with the {@code lib/} beside it) and the build's two SBOMs into {@code out}
   * with the key in {@code keyDir}, for a fixed commit and source; {@code extra} adds options
   * ({@code --image FILE} or {@code --no-image}). Fails unless it exits 0.
   */
  public static CliRunner.Result sign(
      Path workDir, Path keyDir, Path out, Path jar, String... extra) throws Exception {
    Path root = CliRunner.root();
    Path cliSbom = root.resolve("cli/target/maestro-cli.cdx.json");
    Path serverSbom = root.resolve("server/target/maestro-server.cdx.json");
    CliRunner.requireTool(
        Files.isRegularFile(cliSbom) && Files.isRegularFile(serverSbom),
        "signing this build's release",
        "the build made no SBOM (CycloneDX does not run in an offline build: build once online)");
    List<String> args =
        new ArrayList<>(
            List.of(
                "release",
                "sign",
                "--out",
                out.toString(),
                "--key-dir",
                keyDir.toString(),
                "--jar",
                jar.toString(),
                "--sbom",
                cliSbom.toString(),
                "--sbom",
                serverSbom.toString(),
                "--commit",
                "0000000000000000000000000000000000000001",
                "--source-uri",
                "https://git.test/maestro.git"));
    args.addAll(List.of(extra));
    return CliRunner.run(workDir, Map.of(), args.toArray(String[]::new)).expect(0);
  }
}
