package io.maestro.cli.workflows;

import io.maestro.cli.UserError;
import io.maestro.cli.release.ReleaseCommand;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.packages.PackageCheck;
import io.maestro.provenance.packages.WorkflowPackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro workflows package|sign|verify}: signed workflow packages (docs/packages.md). The
 * package format and its checks are {@link WorkflowPackage} and {@link PackageCheck}, the same the
 * server runs at publish.
 */
final class PackageCommands {
  private PackageCommands() {}

  /** {@code maestro workflows package DIR -o PKG}. */
  @Command(
      name = "package",
      mixinStandardHelpOptions = true,
      description =
          "Package the workflow manifests (kind: Workflow) and every other file under DIR into a"
              + " reproducible .tar.gz with a digest manifest (maestro-package.json).",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro workflows package examples/golden/approval -o approval.tgz"})
  static final class Package implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The directory to package.")
    Path dir;

    @Option(
        names = {"-o", "--out"},
        required = true,
        paramLabel = "PKG",
        description = "The package file to write.")
    Path out;

    @Override
    public Integer call() {
      if (!Files.isDirectory(dir)) {
        throw new UserError(dir + " is not a directory");
      }
      WorkflowPackage pkg = format(() -> WorkflowPackage.of(dir));
      write(out, pkg.toBytes());
      spec.commandLine()
          .getOut()
          .printf(
              "packaged %s: %d file(s), workflows %s, digest %s%n",
              out, pkg.files().size(), String.join(", ", pkg.workflows()), pkg.digest());
      return 0;
    }
  }

  /** {@code maestro workflows sign PKG --key KEYDIR}. */
  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      description =
          "Sign a package with the Ed25519 key in KEYDIR (made by `maestro release keygen`); the"
              + " package is checked first and rewritten in place (or to --out).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro release keygen --key-dir ~/.maestro/publisher --name acme-publisher",
        "  maestro workflows sign approval.tgz --key ~/.maestro/publisher"
      })
  static final class Sign implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PKG", description = "The package.")
    Path file;

    @Option(names = "--key", required = true, paramLabel = "KEYDIR", description = "Signing key.")
    Path keyDir;

    @Option(names = "--out", paramLabel = "PKG", description = "Write here instead of in place.")
    Path out;

    @Override
    public Integer call() {
      WorkflowPackage pkg = read(file);
      PackageCheck check = format(() -> PackageCheck.of(pkg, TrustedKeys.of(List.of())));
      if (check.failure().filter(f -> f.check().equals("digest")).isPresent()) {
        throw new UserError("will not sign " + file + ": " + check.failure().get().message());
      }
      Signer signer = ReleaseCommand.releaseSigner(keyDir);
      Path target = out == null ? file : out;
      write(target, pkg.sign(signer).toBytes());
      spec.commandLine()
          .getOut()
          .printf("signed %s (%s) with %s%n", target, pkg.digest(), signer.key().keyId());
      return 0;
    }
  }

  /** {@code maestro workflows verify PKG --keys JWKS}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check a package: every file against its digest, then the signature against the trusted"
              + " keys. Exit 1 names the failing check and file; --allow-unsigned accepts a package"
              + " without a signature.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro workflows verify approval.tgz --keys publishers.json"})
  static final class Verify implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PKG", description = "The package.")
    Path file;

    @Option(
        names = "--keys",
        paramLabel = "JWKS",
        description = "The trusted publishers' public keys (a JWKS).")
    Path keys;

    @Option(names = "--allow-unsigned", description = "Accept a package without a signature.")
    boolean allowUnsigned;

    @Override
    public Integer call() {
      TrustedKeys trusted = keys == null ? TrustedKeys.of(List.of()) : readKeys(keys);
      WorkflowPackage pkg = read(file);
      PackageCheck check = format(() -> PackageCheck.of(pkg, trusted));
      if (check.failure().isPresent()) {
        PackageCheck.Failure f = check.failure().get();
        throw new UserError(
            "FAILED " + f.check() + " check on " + f.file() + ": " + f.message(), 1);
      }
      if (!check.signed() && !allowUnsigned) {
        throw new UserError(
            "FAILED signature check on "
                + WorkflowPackage.SIGNATURE
                + ": "
                + file
                + " is not signed (maestro workflows sign)",
            1);
      }
      spec.commandLine()
          .getOut()
          .printf(
              "OK %s %s, workflows %s, %s%n",
              file,
              check.digest(),
              String.join(", ", check.workflows()),
              check.signer().map(s -> "signed by " + s).orElse("unsigned"));
      return 0;
    }
  }

  static boolean isPackage(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".tgz") || n.endsWith(".tar.gz");
  }

  static WorkflowPackage read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return format(() -> WorkflowPackage.read(in));
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static TrustedKeys readKeys(Path keys) {
    try {
      return TrustedKeys.fromJwks(
          io.maestro.cli.client.ApiClient.JSON.readTree(Files.readString(keys)));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("the keys file " + keys + " is not a usable JWKS: " + e.getMessage());
    }
  }

  private static <T> T format(java.util.function.Supplier<T> s) {
    try {
      return s.get();
    } catch (WorkflowPackage.FormatException e) {
      throw new UserError(e.getMessage());
    }
  }

  private static void write(Path target, byte[] bytes) {
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".pkg-", ".part");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UserError("cannot write " + target + ": " + e.getMessage());
    }
  }
}
