package io.maestro.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import io.maestro.policy.bundle.BundleSigner;
import io.maestro.policy.bundle.BundleVerificationException;
import io.maestro.policy.bundle.BundleVerifier;
import io.maestro.policy.bundle.Keys;
import io.maestro.policy.bundle.Manifest;
import io.maestro.policy.bundle.SignatureAlgorithm;
import io.maestro.policy.tools.PackMetadata;
import io.maestro.rego.Rego;
import io.maestro.rego.parser.Parser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro policy build|sign|verify|inspect}: OPA bundles, offline. */
final class PolicyBundleCommands {
  private static final ObjectMapper JSON = Json.MAPPER;

  private PolicyBundleCommands() {}

  /** Signing options shared by build and sign. */
  static final class SigningOptions {
    @Option(
        names = "--signing-key",
        paramLabel = "PEM",
        description = "Private key (RSA, EC or Ed25519, PEM).")
    Path key;

    @Option(names = "--key-id", paramLabel = "ID", description = "Key id written as the JWS kid.")
    String keyId;

    @Option(
        names = "--signing-alg",
        paramLabel = "ALG",
        description = "RS256, ES256, EdDSA, … (default: from the key).")
    String alg;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Scope claim of the signature.")
    String scope;

    Bundle sign(Bundle b) {
      if (key == null) {
        return b;
      }
      if (keyId == null || keyId.isBlank()) {
        throw new UserError("--key-id is required with --signing-key", 2);
      }
      Keys.SigningKey k =
          Keys.readSigningKey(key, Optional.ofNullable(alg).map(SignatureAlgorithm::parse));
      BundleSigner.Options o = BundleSigner.Options.keyId(keyId);
      if (scope != null) {
        o = o.withScope(scope);
      }
      return BundleSigner.sign(b, k, o);
    }
  }

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro policy build policies -o bundle.tar.gz"},
      description = {
        "Build an OPA bundle (.tar.gz) from a directory, compiling it first; optionally sign it.",
        "The archive is deterministic: the same files give the same bytes."
      })
  static final class Build implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        paramLabel = "DIR",
        description = "Directory with .rego files, data.json/data.yaml and an optional .manifest.")
    Path dir;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Output file (default bundle.tar.gz).")
    Path output = Path.of("bundle.tar.gz");

    @Option(
        names = {"-r", "--revision"},
        paramLabel = "REV",
        description = "Revision written into the manifest.")
    String revision;

    @Option(
        names = "--ignore",
        paramLabel = "GLOB",
        description = "Leave out matching files (repeatable), e.g. '*_test.rego'.")
    List<String> ignore = new ArrayList<>();

    @CommandLine.Mixin SigningOptions signing = new SigningOptions();

    @Override
    public Integer call() {
      return PolicyErrorsOut.guard(
          () -> {
            if (!Files.isDirectory(dir)) {
              throw new UserError(dir + ": not a directory", 1);
            }
            Bundle b = BundleIO.read(dir, ignore);
            if (revision != null) {
              Manifest m = b.manifest();
              b =
                  b.withManifest(
                      new Manifest(revision, m.roots(), m.regoVersion(), m.metadata(), m.extra()));
            }
            // Like opa build: a bundle that does not compile is not built.
            Rego.compile(b.modules(), b.data());
            b = signing.sign(b);
            BundleIO.writeTarGz(b, output);
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                "built "
                    + output
                    + ": revision '"
                    + b.revision()
                    + "', "
                    + b.paths().size()
                    + " files, "
                    + b.contentDigest()
                    + (b.isSigned() ? ", signed with key '" + signing.keyId + "'" : ", unsigned"));
            out.flush();
            return 0;
          });
    }
  }

  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro policy sign bundle.tar.gz --signing-key key.pem --key-id ops-2026 -o signed.tar.gz"
      },
      description = {
        "Sign a bundle: writes .signatures.json into a bundle directory, or rewrites a .tar.gz",
        "(to --output, or in place)."
      })
  static final class Sign implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "Bundle directory or .tar.gz.")
    Path bundle;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Where to write a signed .tar.gz.")
    Path output;

    @CommandLine.Mixin SigningOptions signing = new SigningOptions();

    @Override
    public Integer call() {
      return PolicyErrorsOut.guard(
          () -> {
            if (signing.key == null) {
              throw new UserError("--signing-key is required", 2);
            }
            Bundle signed = signing.sign(BundleIO.read(bundle).withoutSignatures());
            if (Files.isDirectory(bundle)) {
              Files.write(
                  bundle.resolve(Bundle.SIGNATURES), signed.signatures().orElseThrow().toBytes());
            } else {
              BundleIO.writeTarGz(signed, output == null ? bundle : output);
            }
            spec.commandLine()
                .getOut()
                .println(
                    "signed " + signed.paths().size() + " files with key '" + signing.keyId + "'");
            spec.commandLine().getOut().flush();
            return 0;
          });
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro policy verify bundle.tar.gz --public-key public.pem --key-id ops-2026"},
      description = {
        "Verify a bundle's signature: exactly one JWT, a trusted key, the scope, and every file's",
        "digest; a missing, extra or altered file fails. Exit code 1 when verification fails."
      })
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "Bundle directory or .tar.gz.")
    Path bundle;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        required = true,
        description = "Public key (or certificate) of the signer.")
    Path publicKey;

    @Option(
        names = "--key-id",
        paramLabel = "ID",
        description = "Key id of --public-key (default: the token's kid).")
    String keyId;

    @Option(
        names = "--signing-alg",
        paramLabel = "ALG",
        description = "Algorithm the key must be used with (default: from the key).")
    String alg;

    @Option(
        names = "--scope",
        paramLabel = "SCOPE",
        description = "Scope the signature must carry.")
    String scope;

    @Override
    public Integer call() {
      return PolicyErrorsOut.guard(
          () -> {
            Bundle b = BundleIO.read(bundle);
            var pub = Keys.readPublicKey(publicKey);
            BundleVerifier.TrustedKey key =
                alg == null
                    ? BundleVerifier.TrustedKey.of(pub)
                    : new BundleVerifier.TrustedKey(
                        SignatureAlgorithm.parse(alg), pub, Optional.empty());
            String id = keyId != null ? keyId : tokenKeyId(b).orElse("default");
            BundleVerifier.Config cfg =
                new BundleVerifier.Config(
                    Map.of(id, key), Optional.ofNullable(keyId), Optional.ofNullable(scope));
            BundleVerifier.Verified v = BundleVerifier.verify(b, cfg);
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                "verified "
                    + bundle
                    + ": revision '"
                    + b.revision()
                    + "', "
                    + v.files().size()
                    + " files, key '"
                    + v.keyId()
                    + "' ("
                    + v.algorithm()
                    + ")"
                    + (v.scope().isEmpty() ? "" : ", scope '" + v.scope() + "'"));
            out.flush();
            return 0;
          });
    }
  }

  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro policy inspect bundle.tar.gz"},
      description =
          "Show a bundle's manifest, packages, annotations, data roots and signature status.")
  static final class Inspect implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "Bundle directory or .tar.gz.")
    Path bundle;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description = "Also verify the signature with this key.")
    Path publicKey;

    @Option(
        names = {"-f", "--format"},
        paramLabel = "FORMAT",
        description = "pretty (default) or json.")
    String format = "pretty";

    @Override
    public Integer call() {
      return PolicyErrorsOut.guard(
          () -> {
            Bundle b = BundleIO.read(bundle);
            ObjectNode o = JSON.createObjectNode();
            o.set("manifest", b.manifest().toJson());
            o.put("digest", b.contentDigest());
            var packages = o.putArray("packages");
            Map<String, String> pkgs = new TreeMap<>();
            for (var m : b.modules().entrySet()) {
              pkgs.put(
                  m.getKey(),
                  "data." + String.join(".", Parser.parseModule(m.getKey(), m.getValue()).pkg()));
            }
            pkgs.forEach((file, pkg) -> packages.addObject().put("package", pkg).put("file", file));
            var annotations = o.putArray("annotations");
            for (PackMetadata p : PackMetadata.packs(b.modules()).values()) {
              annotations
                  .addObject()
                  .put("package", "data." + p.id())
                  .put("title", p.title())
                  .put("severity", p.severity());
            }
            var data = o.putArray("data");
            b.paths().stream()
                .filter(p -> p.endsWith("data.json") || p.endsWith("data.yaml"))
                .forEach(data::add);
            o.set("signature", signature(b));
            PrintWriter out = spec.commandLine().getOut();
            if ("json".equals(format)) {
              out.println(o.toPrettyString());
            } else {
              pretty(o, out);
            }
            out.flush();
            return o.path("signature").path("verified").asBoolean(true) ? 0 : 1;
          });
    }

    private ObjectNode signature(Bundle b) {
      ObjectNode s = JSON.createObjectNode();
      if (!b.isSigned()) {
        s.put("status", "unsigned");
        return s;
      }
      s.put("status", "signed");
      try {
        JWSObject jws = JWSObject.parse(b.signatures().orElseThrow().tokens().get(0));
        s.put("algorithm", jws.getHeader().getAlgorithm().getName());
        if (jws.getHeader().getKeyID() != null) {
          s.put("key_id", jws.getHeader().getKeyID());
        }
        s.put("files", JSON.readTree(jws.getPayload().toString()).path("files").size());
      } catch (Exception e) {
        s.put("status", "malformed");
      }
      if (publicKey != null) {
        try {
          String id = tokenKeyId(b).orElse("default");
          BundleVerifier.verify(
              b,
              BundleVerifier.Config.of(
                  id, BundleVerifier.TrustedKey.of(Keys.readPublicKey(publicKey))));
          s.put("verified", true);
        } catch (BundleVerificationException e) {
          s.put("verified", false);
          s.put("error", e.getMessage());
        }
      }
      return s;
    }

    private static void pretty(ObjectNode o, PrintWriter out) {
      var m = o.get("manifest");
      out.println("Revision:   " + m.path("revision").asText());
      out.println(
          "Roots:      " + (m.has("roots") ? m.get("roots").toString() : "[\"\"] (all of data)"));
      out.println("Rego:       v" + m.path("rego_version").asInt(1));
      out.println("Digest:     " + o.path("digest").asText());
      var s = o.get("signature");
      out.println(
          "Signature:  "
              + s.path("status").asText()
              + (s.has("key_id") ? ", key '" + s.get("key_id").asText() + "'" : "")
              + (s.has("algorithm") ? ", " + s.get("algorithm").asText() : "")
              + (s.has("files") ? ", " + s.get("files").asInt() + " files" : "")
              + (s.has("verified")
                  ? (s.get("verified").asBoolean()
                      ? ", verified"
                      : ", NOT VERIFIED: " + s.path("error").asText())
                  : ""));
      out.println("Packages:");
      o.get("packages")
          .forEach(
              p ->
                  out.println(
                      "  " + p.path("package").asText() + "  (" + p.path("file").asText() + ")"));
      if (!o.get("annotations").isEmpty()) {
        out.println("Annotated packs:");
        o.get("annotations")
            .forEach(
                a ->
                    out.println(
                        "  "
                            + a.path("package").asText()
                            + "  "
                            + a.path("title").asText()
                            + (a.path("severity").asText().isEmpty()
                                ? ""
                                : " [" + a.path("severity").asText() + "]")));
      }
      if (!o.get("data").isEmpty()) {
        out.println("Data files:");
        o.get("data").forEach(d -> out.println("  " + d.asText()));
      }
    }
  }

  static Optional<String> tokenKeyId(Bundle b) {
    try {
      return b.signatures()
          .map(s -> s.tokens().isEmpty() ? null : s.tokens().get(0))
          .map(
              t -> {
                try {
                  return JWSObject.parse(t).getHeader().getKeyID();
                } catch (java.text.ParseException e) {
                  return null;
                }
              });
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
