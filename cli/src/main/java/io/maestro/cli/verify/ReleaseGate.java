package io.maestro.cli.verify;

import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.release.ReleaseFiles;
import io.maestro.provenance.release.ReleaseSigner;
import io.maestro.provenance.release.ReleaseVerifier;
import io.maestro.provenance.verify.VerificationFailure;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * The release gate: a release directory verified with the trusted keys ({@code maestro verify
 * release}) and, before {@code maestro server} serves, the running program checked to be that
 * release — its app jar and every library jar it runs with have the SHA-256 the release attests.
 */
public final class ReleaseGate {
  private ReleaseGate() {}

  /** Verifies {@code dir} with the JWKS in {@code keys}; a failure is a one-line exit 1. */
  public static ReleaseVerifier.Report verify(Path dir, Path keys) {
    TrustedKeys trusted;
    try {
      trusted = TrustedKeys.fromJwks(Json.MAPPER.readTree(Files.readString(keys)));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("the keys file is not a usable JWKS: " + e.getMessage());
    }
    try {
      return ReleaseVerifier.verify(dir, trusted);
    } catch (VerificationFailure f) {
      throw new UserError("release verification FAILED — " + f.describe(), 1);
    }
  }

  /**
   * Verifies the release and that this process runs it: the jar holding this class is the release's
   * {@code maestro.jar}, and each library jar (in {@code lib/} beside it, or else on the class
   * path) is the release's {@code lib/} file of that name. Returns a one-line summary.
   */
  public static String verifyRunning(Path dir, Path keys) {
    if (keys == null) {
      throw new UserError(
          "--verify-release (release.verify.dir) needs --release-keys (release.verify.keys): the"
              + " release's public JWKS",
          2);
    }
    ReleaseVerifier.Report report = verify(dir, keys);
    SortedMap<String, String> attested = ReleaseFiles.digests(dir);
    Path app = runningJar();
    same(attested, ReleaseSigner.APP_JAR, app);
    List<Path> libs = libraries(app);
    for (Path lib : libs) {
      same(attested, "lib/" + lib.getFileName(), lib);
    }
    return "release verified: "
        + dir
        + " (commit "
        + report.commit()
        + ", "
        + (libs.size() + 1)
        + " running jars match"
        + report.imageDigest().map(d -> ", image " + d).orElse("")
        + ")";
  }

  private static void same(SortedMap<String, String> attested, String name, Path running) {
    String want = attested.get(name);
    if (want == null) {
      throw new UserError(
          "release verification FAILED — running failed at "
              + running
              + ": the release has no "
              + name,
          1);
    }
    String have = ReleaseFiles.sha256(running);
    if (!want.equals(have)) {
      throw new UserError(
          "release verification FAILED — running failed at "
              + running
              + ": SHA-256 "
              + have
              + " is not the release's "
              + name
              + " ("
              + want
              + ")",
          1);
    }
  }

  private static Path runningJar() {
    try {
      Path p =
          Path.of(ReleaseGate.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(p)) {
        throw new UserError(
            "release verification FAILED — running failed at "
                + p
                + ": not running from an app jar",
            1);
      }
      return p;
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      throw new UserError("release verification FAILED — cannot locate the running app jar", 1);
    }
  }

  /** The jars the app runs with: lib/ beside the app jar (bin/maestro), else the class path. */
  private static List<Path> libraries(Path app) {
    List<Path> out = new ArrayList<>();
    Path lib = app.getParent().resolve("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> s = Files.list(lib)) {
        s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(out::add);
      } catch (IOException e) {
        throw new UserError("cannot list " + lib + ": " + e.getMessage());
      }
      return out;
    }
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      Path p = Path.of(e);
      if (e.endsWith(".jar") && Files.isRegularFile(p) && !p.equals(app)) {
        out.add(p);
      }
    }
    return out;
  }
}
