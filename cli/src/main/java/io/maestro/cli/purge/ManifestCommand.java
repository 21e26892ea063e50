package io.maestro.cli.purge;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliFiles;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.governance.Tenants;
import io.maestro.lifecycle.manifest.PurgeManifest;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro purge manifest get|verify}: a purge's signed manifest, fetched and checked. */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    description = "Fetch a purge's signed manifest, or verify one offline with the public keys.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro purge manifest get prg_0193… --tenant acme -o manifest.json",
      "  maestro purge manifest verify manifest.json --keys keys.json"
    },
    subcommands = {ManifestCommand.Get.class, ManifestCommand.Verify.class})
public final class ManifestCommand extends CommandGroup {

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Save the signed manifest (a DSSE envelope) of an executed purge.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro purge manifest get prg_0193… --tenant acme -o manifest.json"})
  static final class Get implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Option(
        names = {"-o", "--output-file"},
        required = true,
        paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      JsonNode env =
          api.connect()
              .call(
                  "GET",
                  Tenants.query("/api/purges/" + enc(id) + "/manifest", tenant),
                  null,
                  "cannot fetch the manifest");
      try {
        Files.writeString(
            file, ApiClient.JSON.writeValueAsString(env) + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserError("cannot write " + file + ": " + CliFiles.reason(e));
      }
      spec.commandLine().getOut().println("wrote " + file);
      return 0;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Verify a purge manifest offline: the signature by a trusted key, the counts against the"
              + " items, and the Merkle root over the items' digests. Exit 0 verified, 1 not.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro keys export -o keys.json",
        "  maestro purge manifest verify manifest.json --keys keys.json"
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
        names = "--keys",
        required = true,
        paramLabel = "FILE",
        description = "The trusted public keys (JWKS, as served at /.well-known/maestro/keys).")
    Path keys;

    @Override
    public Integer call() {
      JsonNode env = json(file);
      TrustedKeys trusted;
      try {
        trusted = TrustedKeys.fromJwks(json(keys));
      } catch (IllegalArgumentException e) {
        throw new UserError("the keys file is not a usable JWKS: " + e.getMessage());
      }
      PurgeManifest.Verified v;
      try {
        v = PurgeManifest.verify(env, trusted);
      } catch (IllegalArgumentException e) {
        throw new UserError("the purge manifest does not verify: " + e.getMessage());
      }
      JsonNode m = v.manifest();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "OK purge manifest %s of tenant %s: %d item(s) %s, Merkle root %s, signed by %s%n",
          m.path("purge_id").asText(),
          m.path("tenant").asText(),
          m.path("item_count").asLong(),
          v.counts(),
          v.merkleRoot(),
          v.key().keyId());
      out.printf(
          "   requested by %s, approved by %s; log size %d before, %d after%n",
          m.path("requested_by").asText(),
          m.path("approvals").findValuesAsText("approver"),
          m.path("log").path("before").path("size").asLong(),
          m.path("log").path("after").path("size").asLong());
      return 0;
    }

    private static JsonNode json(Path p) {
      try {
        return ApiClient.JSON.readTree(CliFiles.read(p));
      } catch (IOException e) {
        throw new UserError("cannot read JSON from " + p + ": " + CliFiles.reason(e));
      }
    }
  }
}
