package io.maestro.cli.packages;

import io.maestro.cli.UserError;
import io.maestro.cli.release.ReleaseCommand;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.packages.PackageCheck;
import io.maestro.provenance.packages.PackageProvenance;
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
 * The local half of signed workflow packages (docs/packages.md): {@code maestro package
 * build|sign|verify}, also reachable under their earlier names {@code maestro workflows
 * package|sign|verify}. The package format and its checks are {@link WorkflowPackage}, {@link
 * PackageProvenance} and {@link PackageCheck}, the same the server runs at publish and install.
 */
public final class PackageFiles {
  private PackageFiles() {}

  /** {@code maestro package build DIR -o PKG}. */
  @Command(
      name = "build",
      description =
          "Package the workflow manifests (kind: Workflow) and every other file under DIR into a"
              + " reproducible .tar.gz with a digest manifest (maestro-package.json) and an in-toto"
              + " provenance statement (SLSA v1: who built it from which source digest — the git"
              + " commit when DIR is clean in a git checkout, else the tree's SHA-256).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro package build examples/golden/approval -o approval.tgz",
        "  maestro package build flows/billing --name billing --version 2 -o billing-2.tgz"
      })
  public static class Build implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    // Not mixinStandardHelpOptions: its --version would take the package's --version.
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DIR", description = "The directory to package.")
    Path dir;

    @Option(
        names = {"-o", "--out"},
        required = true,
        paramLabel = "PKG",
        description = "The package file to write.")
    Path out;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The package's name (default: the directory's name).")
    String name;

    @Option(
        names = "--version",
        paramLabel = "VERSION",
        defaultValue = "1",
        description = "The package's version (default: ${DEFAULT-VALUE}).")
    String version;

    @Option(
        names = "--builder",
        paramLabel = "ID",
        description =
            "Who builds it, as the provenance names it (default: maestro-cli:<user name>).")
    String builder;

    @Override
    public Integer call() {
      if (!Files.isDirectory(dir)) {
        throw new UserError(dir + " is not a directory");
      }
      WorkflowPackage plain =
          format(
              () ->
                  WorkflowPackage.of(
                      dir, name == null ? WorkflowPackage.defaultName(dir) : name, version));
      String by = builder != null ? builder : "maestro-cli:" + System.getProperty("user.name");
      PackageProvenance.Source source = SourceOf.dir(dir, plain);
      WorkflowPackage pkg = plain.withProvenance(PackageProvenance.statement(plain, by, source));
      write(out, pkg.toBytes());
      spec.commandLine()
          .getOut()
          .printf(
              "packaged %s@%s to %s: %d file(s), workflows %s, digest %s, built by %s from %s %s%n",
              pkg.name(),
              pkg.version(),
              out,
              pkg.files().size(),
              String.join(", ", pkg.workflows()),
              pkg.digest(),
              by,
              source.uri(),
              source.digestText());
      return 0;
    }
  }

  /** {@code maestro package sign PKG --key KEYDIR}. */
  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      description =
          "Sign a package with the Ed25519 key in KEYDIR (made by `maestro release keygen`): a DSSE"
              + " envelope over its provenance statement. The package is checked first and"
              + " rewritten in place (or to --out).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro release keygen --key-dir ~/.maestro/publisher --name acme-publisher",
        "  maestro package sign approval.tgz --key ~/.maestro/publisher"
      })
  public static class Sign implements Callable<Integer> {
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

  /** {@code maestro package verify PKG --keys JWKS}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check a package: every file against its digest, the provenance statement against the"
              + " package, then the signature against the trusted keys. Exit 1 names the failing"
              + " check and file; --allow-unsigned accepts a package without a signature.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro package verify approval.tgz --keys publishers.json"})
  public static class Verify implements Callable<Integer> {
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
                + " is not signed (maestro package sign)",
            1);
      }
      spec.commandLine()
          .getOut()
          .printf(
              "OK %s %s@%s %s, workflows %s, %s%s%n",
              file,
              check.name(),
              check.version(),
              check.digest(),
              String.join(", ", check.workflows()),
              check.signer().map(s -> "signed by " + s).orElse("unsigned"),
              check
                  .provenance()
                  .map(
                      p ->
                          ", built by "
                              + p.builder()
                              + " from "
                              + p.sourceUri()
                              + " "
                              + p.sourceDigest())
                  .orElse(""));
      return 0;
    }
  }

  /** Whether {@code file} is named like a package ({@code .tgz}, {@code .tar.gz}). */
  public static boolean isPackage(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".tgz") || n.endsWith(".tar.gz");
  }

  /** Reads a package file (a one-line error when it is not one). */
  public static WorkflowPackage read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return format(() -> WorkflowPackage.read(in));
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Reads a JWKS file of trusted keys (a one-line error when it is not one). */
  public static TrustedKeys readKeys(Path keys) {
    try {
      return TrustedKeys.fromJwks(
          io.maestro.cli.client.ApiClient.JSON.readTree(Files.readString(keys)));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("the keys file " + keys + " is not a usable JWKS: " + e.getMessage());
    }
  }

  static <T> T format(java.util.function.Supplier<T> s) {
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
