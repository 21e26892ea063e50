package io.maestro.cli.release;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.provenance.keys.KeyStore;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.release.ReleaseSigner;
import io.maestro.provenance.release.SlsaProvenance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code maestro release keygen|sign}: the release key and signed releases. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Make the release key and sign releases (verify them with maestro verify release).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro release keygen --key-dir ~/.maestro/release-key",
      "  ./mvnw -B -ntp package -DskipTests",
      "  maestro release sign --out dist/release --key-dir ~/.maestro/release-key",
      "  maestro verify release dist/release --keys ~/.maestro/release-key/release-keys.json"
    },
    subcommands = {ReleaseCommand.Keygen.class, ReleaseCommand.Sign.class})
public final class ReleaseCommand extends CommandGroup {
  /** The key name the layout's functionaries list. */
  static final String KEY_NAME = "maestro-release";

  static final String PUBLIC_FILE = "release-keys.json";

  /** Where the build writes the container image (ADR 0036). */
  static final String DEFAULT_IMAGE = "cli/target/maestro-image.tar";

  /** {@code maestro release keygen --key-dir DIR}. */
  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro release keygen --key-dir ~/.maestro/release-key"},
      description = {
        "Create an Ed25519 release key in DIR (0700, key file 0600) and write its public JWKS to"
            + " DIR/"
            + PUBLIC_FILE
            + "."
      })
  static final class Keygen implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--key-dir", required = true, paramLabel = "DIR", description = "Where.")
    Path keyDir;

    @Option(
        names = "--name",
        defaultValue = KEY_NAME,
        paramLabel = "NAME",
        description = "The key name (the layout's functionary). Default: ${DEFAULT-VALUE}.")
    String name;

    @Override
    public Integer call() {
      FileKeyStore store = new FileKeyStore(keyDir);
      if (!store.load().keys().isEmpty()) {
        throw new UserError(keyDir + " already holds a key: keep it, or choose another directory");
      }
      byte[] seed = Ed25519.generateSeed(new SecureRandom());
      PublicKeyInfo info =
          PublicKeyInfo.of(
              name,
              Ed25519.publicKey(seed),
              Instant.now().truncatedTo(ChronoUnit.SECONDS),
              PublicKeyInfo.KeyStatus.ACTIVE,
              Optional.empty());
      store.save(new KeyStore.StoredKey(info, seed));
      Path pub = keyDir.resolve(PUBLIC_FILE);
      try {
        Files.writeString(
            pub, Json.PRETTY.writeValueAsString(TrustedKeys.of(List.of(info)).toJwks()) + "\n");
      } catch (IOException e) {
        throw new UserError("cannot write " + pub + ": " + e.getMessage());
      }
      spec.commandLine().getOut().printf("release key %s; public keys in %s%n", info.keyId(), pub);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code maestro release sign --out DIR --key-dir KEYS}. */
  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro release sign --out dist/release --key-dir ~/.maestro/release-key",
        "  maestro release sign --out dist/release --key-dir keys --image cli/target/maestro-image.tar"
      },
      description = {
        "Assemble a release directory from the build (app jar, lib/, SBOMs, image) and sign its"
            + " SLSA provenance, SBOM attestation, sign link and layout with the release key.",
        "Run it from the repository root after ./mvnw package; the source commit comes from git."
      })
  static final class Sign implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new directory.")
    Path out;

    @Option(names = "--key-dir", required = true, paramLabel = "DIR", description = "Release key.")
    Path keyDir;

    @Option(
        names = "--jar",
        defaultValue = "cli/target/maestro.jar",
        paramLabel = "FILE",
        description = "The app jar; its lib/ beside it. Default: ${DEFAULT-VALUE}.")
    Path jar;

    @Option(
        names = "--sbom",
        paramLabel = "FILE",
        description =
            "A CycloneDX SBOM, the app's first; repeatable. Default: cli/target/maestro-cli.cdx.json"
                + " and server/target/maestro-server.cdx.json.")
    List<Path> sboms = new ArrayList<>();

    @Option(
        names = "--image",
        paramLabel = "FILE",
        description =
            "The OCI image tarball, signed with its manifest digest. Default: "
                + DEFAULT_IMAGE
                + " when the build made it.")
    Path image;

    @Option(names = "--no-image", description = "Leave the image out of the release.")
    boolean noImage;

    @Option(
        names = "--layout",
        paramLabel = "FILE",
        description = "The in-toto layout (default: the one shipped, docs/provenance/layout.yaml).")
    Path layout;

    @Option(names = "--commit", paramLabel = "SHA", description = "Source commit (default: git).")
    String commit;

    @Option(
        names = "--source-uri",
        paramLabel = "URI",
        description = "The source repository (default: git's origin remote, else its folder name).")
    String sourceUri;

    @Option(
        names = "--builder",
        defaultValue = "https://maestro-conductor.dev/builders/maven-local",
        paramLabel = "ID",
        description = "The builder's id in the provenance. Default: ${DEFAULT-VALUE}.")
    String builder;

    @Override
    public Integer call() {
      List<Path> boms =
          sboms.isEmpty()
              ? List.of(
                  Path.of("cli/target/maestro-cli.cdx.json"),
                  Path.of("server/target/maestro-server.cdx.json"))
              : sboms;
      if (noImage && image != null) {
        throw new UserError("--image and --no-image cannot be used together", 2);
      }
      if (image == null && !noImage && Files.isRegularFile(Path.of(DEFAULT_IMAGE))) {
        image = Path.of(DEFAULT_IMAGE);
      }
      for (Path p : concat(List.of(jar), boms, image)) {
        if (!Files.isRegularFile(p)) {
          throw new UserError(p + " does not exist: build first (./mvnw -B -ntp package)", 2);
        }
      }
      Signer signer = releaseSigner(keyDir);
      SlsaProvenance.Source source =
          new SlsaProvenance.Source(
              sourceUri != null ? sourceUri : Git.sourceUri(),
              commit != null ? commit : Git.head(),
              commit == null && Git.dirty());
      Path lib = jar.toAbsolutePath().getParent().resolve("lib");
      ReleaseSigner.Signed s;
      try {
        s =
            ReleaseSigner.sign(
                new ReleaseSigner.Inputs(
                    jar,
                    Files.isDirectory(lib) ? Optional.of(lib) : Optional.empty(),
                    boms,
                    Optional.ofNullable(image),
                    layoutText(),
                    source,
                    builder,
                    List.of("./mvnw", "-B", "-ntp", "package", "-DskipTests"),
                    List.of("maestro", "release", "sign")),
                out,
                signer);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw new UserError("cannot sign the release: " + e.getMessage());
      }
      spec.commandLine()
          .getOut()
          .printf(
              "signed release in %s: %d products, %d materials, SBOM of %d components, commit %s%s,"
                  + " %s, key %s%n",
              out,
              s.products(),
              s.materials(),
              s.sbomComponents(),
              source.commit(),
              source.dirty() ? " (dirty)" : "",
              s.imageDigest().map(d -> "image " + d).orElse("no image"),
              s.keyId());
      spec.commandLine().getOut().flush();
      return 0;
    }

    private String layoutText() {
      try {
        if (layout != null) {
          return Files.readString(layout, StandardCharsets.UTF_8);
        }
        try (InputStream in = ReleaseCommand.class.getResourceAsStream("layout.yaml")) {
          if (in == null) {
            throw new UserError("this build ships no layout: pass --layout");
          }
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new UserError("cannot read the layout: " + e.getMessage());
      }
    }

    private static List<Path> concat(List<Path> a, List<Path> b, Path c) {
      List<Path> all = new ArrayList<>(a);
      all.addAll(b);
      if (c != null) {
        all.add(c);
      }
      return all;
    }
  }

  /** The active key of a key directory made by {@code maestro release keygen}. */
  public static Signer releaseSigner(Path keyDir) {
    KeyStore.Loaded loaded = new FileKeyStore(keyDir).load();
    if (!loaded.problems().isEmpty()) {
      KeyStore.KeyProblem p = loaded.problems().get(0);
      throw new UserError("release key " + p.where() + ": " + p.reason());
    }
    return loaded.keys().stream()
        .filter(k -> k.info().status() == PublicKeyInfo.KeyStatus.ACTIVE)
        .reduce((a, b) -> b)
        .map(Signer::of)
        .orElseThrow(
            () -> new UserError("no release key in " + keyDir + ": maestro release keygen first"));
  }
}
