package io.maestro.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.InclusionProof;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.ReceiptVerifier;
import io.maestro.provenance.verify.VerificationFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maestro verify}: checks receipts, exports and attestations offline, with nothing but the
 * public keys. What is checked depends on the file: a log export (NDJSON), a DSSE envelope, a
 * receipt as {@code GET /api/receipts/{id}} returns it (receipt, proof and checkpoint together), or
 * a bare receipt with {@code --proof} and {@code --checkpoint}. Exit 0 only when everything holds;
 * otherwise one line names the check that failed and where.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    subcommands = VerifyReleaseCommand.class,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro receipts export -o acme.ndjson && maestro keys export -o keys.json",
      "  maestro verify acme.ndjson --keys keys.json"
    },
    description = {
      "Verify receipts, log exports and attestations offline with the public keys.",
      "",
      "  maestro verify receipt.json --proof proof.json --checkpoint checkpoint.txt --keys keys.json",
      "  maestro verify export.ndjson --keys keys.json [--trusted-checkpoint checkpoint.txt]",
      "  maestro verify envelope.dsse.json --keys keys.json [--subject artifact ...]",
      "  maestro verify pack.tgz --keys keys.json          (a disclosure pack: maestro disclose)",
      "  maestro verify bundle.tgz --keys keys.json        (maestro compliance bundle)",
      "  maestro verify pack.tgz --keys keys.json          (maestro compliance pack)",
      "  maestro verify release DIR --keys release-keys.json",
      "",
      "Get the keys from GET /.well-known/maestro/keys. Exit status: 0 verified, 1 not."
    })
public final class VerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = Json.MAPPER;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // Not required by picocli: `maestro verify release DIR --keys …` is a subcommand with its own
  // arguments, so the file and the keys of the other forms are checked in call().
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "The receipt, export or envelope.")
  Path file;

  @Option(
      names = "--keys",
      paramLabel = "JWKS",
      description = "The trusted public keys (JWKS, as served at /.well-known/maestro/keys).")
  Path keys;

  @Option(names = "--proof", paramLabel = "FILE", description = "The receipt's inclusion proof.")
  Path proof;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description = "The signed checkpoint the proof leads to.")
  Path checkpoint;

  @Option(
      names = "--trusted-checkpoint",
      paramLabel = "FILE",
      description =
          "A checkpoint you saw before: the export must not be older (detects replayed old views).")
  Path trustedCheckpoint;

  @Option(
      names = "--subject",
      paramLabel = "FILE",
      description = "An artifact the attestation must cover (by SHA-256); repeatable.")
  List<Path> subjects = new ArrayList<>();

  @Override
  public Integer call() {
    if (file == null || keys == null) {
      throw new UserError(
          "verify needs a FILE and --keys JWKS (or: maestro verify release DIR --keys JWKS)", 2);
    }
    PrintWriter out = spec.commandLine().getOut();
    TrustedKeys trusted = readKeys();
    try {
      switch (kind()) {
        case EXPORT -> verifyExport(trusted, out);
        case ENVELOPE -> verifyEnvelope(trusted, out);
        case RECEIPT -> verifyReceipt(trusted, out);
        case PACK -> {
          if (BundleCheck.isBundle(file)) {
            BundleCheck.verifyEither(file, trusted, out, spec.commandLine().getErr());
          } else {
            PackCheck.verify(file, trusted, out, spec.commandLine().getErr());
          }
        }
      }
    } catch (VerificationFailure f) {
      throw new UserError("verification FAILED — " + f.describe(), 1);
    }
    out.flush();
    return 0;
  }

  private enum Kind {
    EXPORT,
    ENVELOPE,
    RECEIPT,
    PACK
  }

  private Kind kind() {
    if (PackCheck.isGzip(file)) {
      return Kind.PACK;
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = r.readLine();
      while (first != null && first.isBlank()) {
        first = r.readLine();
      }
      if (first == null) {
        throw new UserError(file + " is empty");
      }
      if (first.startsWith("{\"kind\":\"header\"")) {
        return Kind.EXPORT;
      }
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    JsonNode doc = readJson(file);
    return doc.has("payloadType") ? Kind.ENVELOPE : Kind.RECEIPT;
  }

  private void verifyExport(TrustedKeys trusted, PrintWriter out) throws VerificationFailure {
    Optional<Checkpoint> seen = Optional.empty();
    if (trustedCheckpoint != null) {
      try {
        seen = Optional.of(Checkpoint.verify(readText(trustedCheckpoint), trusted));
      } catch (IllegalArgumentException e) {
        throw new UserError("the trusted checkpoint does not verify: " + e.getMessage());
      }
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      ExportVerifier.Report r = ExportVerifier.verify(in, trusted, seen);
      out.printf(
          "OK export of %s: receipts %d..%d (%d), chain intact, %d checkpoint(s) signed and"
              + " consistent, root of size %d recomputed from the receipts (key %s)%n",
          r.origin(),
          r.from(),
          r.to(),
          r.receipts(),
          r.checkpoints(),
          r.treeSize(),
          r.latest().keyId());
      if (r.payloadsErased() > 0) {
        out.printf(
            "   %d receipt(s) without their payload (erased by a purge, or kept elsewhere); their"
                + " payload digests and the chain still verify%n",
            r.payloadsErased());
      }
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  private void verifyReceipt(TrustedKeys trusted, PrintWriter out) throws VerificationFailure {
    JsonNode doc = readJson(file);
    JsonNode receipt;
    JsonNode proofJson;
    String note;
    if (doc.has("receipt") && doc.has("proof")) {
      // The response of GET /api/receipts/{id}: everything in one file.
      receipt = doc.get("receipt");
      proofJson = doc.get("proof");
      note = doc.path("checkpoint").asText(null);
      if (proofJson.isNull() || note == null) {
        throw new UserError(
            "no checkpoint covered this receipt yet when it was fetched; fetch it again");
      }
    } else {
      if (proof == null || checkpoint == null) {
        throw new UserError("verifying a receipt needs --proof and --checkpoint", 2);
      }
      receipt = doc;
      proofJson = readJson(proof);
      note = readText(checkpoint);
    }
    InclusionProof p;
    try {
      p = InclusionProof.fromJson(proofJson);
    } catch (IllegalArgumentException e) {
      throw new UserError("the proof is malformed: " + e.getMessage());
    }
    ReceiptVerifier.Verified v = ReceiptVerifier.verify(receipt, p, note, trusted);
    out.printf(
        "OK receipt %s (seq %d, %s) is in the log %s of size %d, checkpoint signed by %s%n",
        v.receipt().id(),
        v.receipt().seq(),
        v.receipt().type(),
        v.checkpoint().origin(),
        v.checkpoint().size(),
        v.checkpoint().keyId());
  }

  private void verifyEnvelope(TrustedKeys trusted, PrintWriter out) throws VerificationFailure {
    Dsse.Envelope env;
    try {
      env = Dsse.Envelope.fromJson(readJson(file));
    } catch (IllegalArgumentException e) {
      throw new UserError("not a DSSE envelope: " + e.getMessage());
    }
    PublicKeyInfo signer;
    try {
      signer = Dsse.verify(env, trusted);
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(
          VerificationFailure.Check.SIGNATURE, "the envelope", e.getMessage());
    }
    String what = "DSSE envelope (" + env.payloadType() + ")";
    if (InTotoStatement.PAYLOAD_TYPE.equals(env.payloadType())) {
      InTotoStatement st;
      try {
        st = InTotoStatement.fromEnvelope(env);
      } catch (IllegalArgumentException e) {
        throw new VerificationFailure(
            VerificationFailure.Check.FORMAT, "the statement", e.getMessage());
      }
      for (Path s : subjects) {
        try {
          if (!st.covers(Files.readAllBytes(s))) {
            throw new VerificationFailure(
                VerificationFailure.Check.SUBJECT,
                s.toString(),
                "its SHA-256 matches no subject of the statement");
          }
        } catch (IOException e) {
          throw new UserError("cannot read " + s + ": " + e.getMessage());
        }
      }
      what =
          "in-toto statement ("
              + st.predicateType()
              + ") about "
              + st.subjects().size()
              + " subject(s)"
              + (subjects.isEmpty() ? "" : ", " + subjects.size() + " artifact(s) matched");
    } else if (!subjects.isEmpty()) {
      throw new UserError("--subject needs an in-toto statement envelope", 2);
    }
    out.printf("OK %s signed by %s%n", what, signer.keyId());
  }

  private TrustedKeys readKeys() {
    try {
      return TrustedKeys.fromJwks(readJson(keys));
    } catch (IllegalArgumentException e) {
      throw new UserError("the keys file is not a usable JWKS: " + e.getMessage());
    }
  }

  private static JsonNode readJson(Path p) {
    try {
      return JSON.readTree(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UserError(
          "cannot read JSON from " + p + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static String readText(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot read " + p + ": " + e.getMessage());
    }
  }
}
