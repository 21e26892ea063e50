package io.maestro.cli.packages;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.ClientCalls;
import io.maestro.cli.client.ListCommand;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.client.Refusals;
import io.maestro.client.MaestroApiException;
import io.maestro.client.MaestroClient;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro package …}: signed workflow packages and the catalog (docs/packages.md). {@code
 * build|sign|verify} work on files ({@link PackageFiles}); {@code publish|install|list|show|trust|
 * publishers} call the server through the Java client.
 */
@Command(
    name = "package",
    aliases = "packages",
    mixinStandardHelpOptions = true,
    description =
        "Build, sign and verify workflow packages; publish them to the catalog and install them"
            + " into the tenant, which checks digests, provenance and the signature against the"
            + " keys the tenant trusts.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro package build examples/golden/retry -o retry.tgz",
      "  maestro package sign retry.tgz --key ~/.maestro/publisher",
      "  maestro package trust ~/.maestro/publisher/publisher.jwks.json",
      "  maestro package publish retry.tgz",
      "  maestro package install retry",
      "  maestro package install golden-approval"
    },
    subcommands = {
      PackageFiles.Build.class,
      PackageFiles.Sign.class,
      PackageFiles.Verify.class,
      PackageCommand.Publish.class,
      PackageCommand.Install.class,
      PackageCommand.ListPackages.class,
      PackageCommand.Show.class,
      PackageCommand.Trust.class,
      PackageCommand.Publishers.class
    })
public final class PackageCommand extends CommandGroup {
  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * A call whose refusal lists the policy's reasons, one per line ({@code code: message}), so the
   * failing check and file show.
   */
  static JsonNode refusable(
      ClientCalls client, Function<MaestroClient, JsonNode> call, String path, String what) {
    return client.call(
        c -> {
          try {
            return call.apply(c);
          } catch (MaestroApiException e) {
            String why = Refusals.reasonLines(e.problem());
            if (why.isEmpty()) {
              throw e;
            }
            throw new UserError(
                what
                    + ": "
                    + new io.maestro.cli.client.ApiClient.Reply(e.status(), e.problem()).problem()
                    + why);
          }
        },
        path,
        what);
  }

  /** {@code maestro package publish PKG}. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Publish a signed package into the tenant's catalog (GET /api/packages lists it); the"
              + " server verifies the whole chain first.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro package publish retry.tgz"})
  static final class Publish implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "PKG", description = "The package (.tgz).")
    Path file;

    @Override
    public Integer call() {
      byte[] pkg = bytes(file);
      JsonNode e =
          refusable(
              api.client(), c -> c.publishPackage(pkg), "/api/packages", "cannot publish " + file);
      spec.commandLine()
          .getOut()
          .println(
              e.path("name").asText()
                  + "@"
                  + e.path("version").asText()
                  + (e.path("receipt").isNull() ? " was already" : " is")
                  + " in the catalog ("
                  + e.path("digest").asText()
                  + ", signed by "
                  + e.path("signer").asText()
                  + ")");
      return 0;
    }
  }

  /** {@code maestro package install PKG|NAME[@VERSION]}. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description =
          "Install a package into the tenant: a package file, or a catalog package by name. The"
              + " server verifies digests, provenance and the signature against the keys the"
              + " tenant trusts, then publishes every workflow; a tampered or unsigned package is"
              + " refused with the failing check named.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro package install retry.tgz",
        "  maestro package install golden-approval",
        "  maestro package install billing@2"
      })
  static final class Install implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "PKG|NAME[@VERSION]", description = "A package file or a name.")
    String ref;

    @Override
    public Integer call() {
      ClientCalls client = api.client();
      JsonNode r;
      Path file = Path.of(ref);
      if (PackageFiles.isPackage(file) || Files.isRegularFile(file)) {
        byte[] pkg = bytes(file);
        r =
            refusable(
                client,
                c -> c.installPackage(pkg),
                "/api/packages/install",
                "cannot install " + ref);
      } else {
        int at = ref.lastIndexOf('@');
        String name = at > 0 ? ref.substring(0, at) : ref;
        String version = at > 0 ? ref.substring(at + 1) : null;
        r =
            refusable(
                client,
                c -> c.installCatalogPackage(name, version),
                "/api/packages/" + name + "/install",
                "cannot install " + ref);
      }
      PrintWriter out = spec.commandLine().getOut();
      JsonNode p = r.path("provenance");
      out.println(
          "installed "
              + r.path("name").asText()
              + "@"
              + r.path("version").asText()
              + " ("
              + r.path("digest").asText()
              + "), signed by "
              + r.path("signer").asText()
              + (p.isObject()
                  ? ", built by "
                      + p.path("builder").asText()
                      + " from "
                      + p.path("source").asText()
                      + " "
                      + p.path("sourceDigest").asText()
                  : ""));
      for (JsonNode v : r.path("workflows")) {
        out.println(
            "  "
                + v.path("name").asText()
                + "@"
                + v.path("version").asText()
                + " is published ("
                + v.path("digest").asText()
                + ")");
      }
      return 0;
    }
  }

  static final List<Column> COLUMNS =
      List.of(
          Column.of("name", "name"),
          Column.of("version", "version"),
          Column.of("catalog", "catalog"),
          Column.of("signer", "signer"),
          new Column("workflows", e -> Integer.toString(e.path("workflows").size())),
          Column.of("digest", "digest"));

  /** {@code maestro package list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the catalog: the default catalog's packages and the tenant's.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro package list", "  maestro package list --output json"})
  static final class ListPackages extends ListCommand {
    ListPackages() {
      super(COLUMNS);
    }

    @Override
    protected JsonNode fetch() {
      return api.client().call(MaestroClient::packages, "/api/packages", "cannot list packages");
    }
  }

  /** {@code maestro package show NAME}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a catalog package's versions with their signer and provenance.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro package show golden-approval"})
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(paramLabel = "NAME", description = "The package.")
    String name;

    @Override
    public Integer call() {
      JsonNode p =
          api.client()
              .call(c -> c.packageInfo(name), "/api/packages/" + name, "cannot read " + name);
      output.one(
          spec.commandLine().getOut(),
          p,
          o -> {
            for (JsonNode v : p.path("versions")) {
              JsonNode prov = v.path("provenance");
              o.println(
                  v.path("name").asText()
                      + "@"
                      + v.path("version").asText()
                      + "  "
                      + v.path("catalog").asText()
                      + "  "
                      + v.path("digest").asText());
              o.println("  signed by " + v.path("signer").asText());
              if (prov.isObject()) {
                o.println(
                    "  built by "
                        + prov.path("builder").asText()
                        + " from "
                        + prov.path("source").asText()
                        + " "
                        + prov.path("sourceDigest").asText());
              }
              List<String> wf = new java.util.ArrayList<>();
              v.path("workflows").forEach(w -> wf.add(w.asText()));
              o.println("  workflows " + String.join(", ", wf));
            }
          });
      return 0;
    }
  }

  /** {@code maestro package trust JWKS|KEYDIR}. */
  @Command(
      name = "trust",
      mixinStandardHelpOptions = true,
      description =
          "Trust publisher keys for the tenant's packages: every key of a JWKS file, or the public"
              + " key of a signing key directory (needs tenant.update).",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro package trust ~/.maestro/publisher"})
  static final class Trust implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "JWKS|KEYDIR", description = "A JWKS file or a key directory.")
    Path keys;

    @Override
    public Integer call() {
      TrustedKeys trusted =
          Files.isDirectory(keys)
              ? TrustedKeys.of(
                  List.of(io.maestro.cli.release.ReleaseCommand.releaseSigner(keys).key()))
              : PackageFiles.readKeys(keys);
      ClientCalls client = api.client();
      for (PublicKeyInfo k : trusted.keys()) {
        JsonNode jwk = TrustedKeys.of(List.of(k)).toJwks().path("keys").get(0);
        JsonNode r =
            client.call(
                c -> c.trustPublisher(k.keyId(), jwk),
                "/api/package-publishers/" + k.keyId(),
                "cannot trust " + k.keyId());
        spec.commandLine()
            .getOut()
            .println(
                "trusted "
                    + k.keyId()
                    + (r.path("receipt").isNull()
                        ? " (already)"
                        : " (" + r.path("receipt").asText() + ")"));
      }
      return 0;
    }
  }

  /** {@code maestro package publishers}. */
  @Command(
      name = "publishers",
      mixinStandardHelpOptions = true,
      description = "List the publisher keys the tenant trusts, and where the trust comes from.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro package publishers"})
  static final class Publishers extends ListCommand {
    Publishers() {
      super(
          List.of(
              Column.of("key", "keyId"),
              Column.of("source", "source"),
              Column.of("added by", "addedBy")));
    }

    @Override
    protected JsonNode fetch() {
      return api.client()
          .call(
              MaestroClient::packagePublishers,
              "/api/package-publishers",
              "cannot list publishers");
    }
  }
}
