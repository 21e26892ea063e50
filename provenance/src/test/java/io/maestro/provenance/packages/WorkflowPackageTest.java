package io.maestro.provenance.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.provenance.attest.DsseTest;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowPackageTest {
  static final String HELLO =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: hello, version: "1"}
      spec:
        tasks:
          - {id: greet, uses: core/log, with: {message: hi}}
      """;

  @TempDir Path dir;

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    java.util.Arrays.fill(s, (byte) b);
    return s;
  }

  final Signer publisher = DsseTest.signerFor("publisher", seed(7));
  final TrustedKeys trusted = TrustedKeys.of(List.of(publisher.key()));

  Path source() throws Exception {
    Files.writeString(dir.resolve("hello.yaml"), HELLO);
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/input.csv"), "a,b\n1,2\n");
    Files.writeString(dir.resolve(".hidden"), "left out");
    return dir;
  }

  static WorkflowPackage reread(byte[] bytes) {
    return WorkflowPackage.read(new ByteArrayInputStream(bytes));
  }

  /** Flips one byte of {@code file}'s content inside the package bytes and repacks them. */
  static byte[] tamper(byte[] pkg, String file) {
    WorkflowPackage p = reread(pkg);
    Map<String, byte[]> files = new java.util.TreeMap<>(p.files());
    byte[] b = files.get(file).clone();
    b[0] ^= 1;
    files.put(file, b);
    return p.withFiles(files).toBytes();
  }

  @Test
  void package_isReproducibleAndListsWorkflowsAndFiles() throws Exception {
    byte[] a = WorkflowPackage.of(source()).toBytes();
    byte[] b = WorkflowPackage.of(dir).toBytes();
    assertThat(a).isEqualTo(b);
    WorkflowPackage p = reread(a);
    assertThat(p.workflows()).containsExactly("hello.yaml");
    assertThat(p.files()).containsOnlyKeys("hello.yaml", "data/input.csv");
    assertThat(p.digest()).startsWith("sha256:").hasSize(71);
    PackageCheck c = PackageCheck.of(p, trusted);
    assertThat(c.failure()).isEmpty();
    assertThat(c.signed()).isFalse();
  }

  @Test
  void signedPackage_verifiesWithTheTrustedKey_andKeepsItsDigest() throws Exception {
    WorkflowPackage unsigned = WorkflowPackage.of(source());
    byte[] signed = unsigned.sign(publisher).toBytes();
    assertThat(signed).isEqualTo(unsigned.sign(publisher).toBytes());
    PackageCheck c = PackageCheck.of(reread(signed), trusted);
    assertThat(c.failure()).isEmpty();
    assertThat(c.signer()).contains(publisher.key().keyId());
    assertThat(c.digest()).isEqualTo(unsigned.digest());
  }

  @Test
  void tamperedByte_failsTheDigestCheckNamingTheFile() throws Exception {
    byte[] signed = WorkflowPackage.of(source()).sign(publisher).toBytes();
    PackageCheck c = PackageCheck.of(reread(tamper(signed, "data/input.csv")), trusted);
    assertThat(c.failure()).isPresent();
    assertThat(c.failure().get().check()).isEqualTo("digest");
    assertThat(c.failure().get().file()).isEqualTo("data/input.csv");
    assertThat(c.signed()).isFalse();
  }

  @Test
  void rewrittenDigestManifest_failsTheSignatureCheck() throws Exception {
    WorkflowPackage signed = WorkflowPackage.of(source()).sign(publisher);
    // A forger changes a file and rewrites the digest manifest to match; the signature still
    // covers the old one.
    Files.writeString(dir.resolve("hello.yaml"), HELLO.replace("hi", "ho"));
    WorkflowPackage forged = WorkflowPackage.of(dir);
    byte[] bytes = forged.withSignature(signed.signature().orElseThrow()).toBytes();
    PackageCheck c = PackageCheck.of(reread(bytes), trusted);
    assertThat(c.failure().orElseThrow().check()).isEqualTo("signature");
    assertThat(c.failure().get().file()).isEqualTo(WorkflowPackage.DIGESTS);
  }

  @Test
  void untrustedSigner_failsTheSignatureCheck() throws Exception {
    Signer stranger = DsseTest.signerFor("stranger", seed(9));
    byte[] bytes = WorkflowPackage.of(source()).sign(stranger).toBytes();
    PackageCheck c = PackageCheck.of(reread(bytes), trusted);
    assertThat(c.failure().orElseThrow().check()).isEqualTo("signature");
    assertThat(c.failure().get().message()).contains("no trusted key");
  }

  @Test
  void badBytes_andDirectoriesWithoutWorkflows_areFormatErrors() throws Exception {
    assertThatThrownBy(() -> reread("not a tarball".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WorkflowPackage.FormatException.class)
        .hasMessageContaining("not a workflow package");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "no workflow");
    assertThatThrownBy(() -> WorkflowPackage.of(empty))
        .isInstanceOf(WorkflowPackage.FormatException.class)
        .hasMessageContaining("no workflow manifest");
  }

  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  WorkflowPackage built() throws Exception {
    WorkflowPackage plain = WorkflowPackage.of(source(), "hello-pkg", "2");
    return plain.withProvenance(
        PackageProvenance.statement(
            plain, "ci:acme", PackageProvenance.Source.git("https://example.com/flows", COMMIT)));
  }

  @Test
  void builtPackage_signsItsSlsaProvenance_andTheCheckSaysWhoBuiltItFromWhichSource()
      throws Exception {
    WorkflowPackage pkg = built();
    assertThat(pkg.name()).isEqualTo("hello-pkg");
    assertThat(pkg.version()).isEqualTo("2");
    byte[] bytes = pkg.sign(publisher).toBytes();
    assertThat(bytes).isEqualTo(built().sign(publisher).toBytes());
    WorkflowPackage read = reread(bytes);
    assertThat(read.signature().orElseThrow().payloadType())
        .isEqualTo(io.maestro.provenance.attest.InTotoStatement.PAYLOAD_TYPE);
    var statement =
        io.maestro.provenance.attest.InTotoStatement.fromEnvelope(read.signature().get());
    assertThat(statement.predicateType()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(statement.covers(read.digestManifest())).isTrue();
    PackageCheck c = PackageCheck.of(read, trusted);
    assertThat(c.failure()).isEmpty();
    assertThat(c.name()).isEqualTo("hello-pkg");
    assertThat(c.version()).isEqualTo("2");
    assertThat(c.provenance().orElseThrow())
        .isEqualTo(
            new PackageProvenance.Facts(
                "ci:acme", "git+https://example.com/flows", "gitCommit:" + COMMIT));
  }

  @Test
  void restatedProvenance_failsTheProvenanceCheck() throws Exception {
    WorkflowPackage signed = built().sign(publisher);
    WorkflowPackage plain = WorkflowPackage.of(dir, "hello-pkg", "2");
    WorkflowPackage restated =
        signed
            .withProvenance(
                PackageProvenance.statement(
                    plain, "mallory", PackageProvenance.Source.git("https://evil", COMMIT)))
            .withSignature(signed.signature().orElseThrow());
    PackageCheck c = PackageCheck.of(reread(restated.toBytes()), trusted);
    assertThat(c.failure().orElseThrow().check()).isEqualTo("provenance");
    assertThat(c.failure().get().file()).isEqualTo(WorkflowPackage.PROVENANCE);
    assertThat(c.signed()).isFalse();
    assertThat(c.provenance()).isEmpty();
  }

  @Test
  void statementAboutAnotherPackage_failsTheProvenanceCheck() throws Exception {
    WorkflowPackage other = WorkflowPackage.of(source(), "other", "1");
    WorkflowPackage mine = WorkflowPackage.of(dir, "hello-pkg", "2");
    // A signed statement about another package's digest manifest, packaged with this one.
    WorkflowPackage lying =
        mine.withProvenance(
                PackageProvenance.statement(
                    other, "ci:acme", PackageProvenance.Source.tree("file:x", other)))
            .sign(publisher);
    PackageCheck c = PackageCheck.of(reread(lying.toBytes()), trusted);
    assertThat(c.failure().orElseThrow().check()).isEqualTo("provenance");
    assertThat(c.failure().get().file()).isEqualTo(WorkflowPackage.DIGESTS);
  }

  @Test
  void packageNamesAndVersions_areChecked() throws Exception {
    source();
    assertThatThrownBy(() -> WorkflowPackage.of(dir, "Bad Name", "1"))
        .isInstanceOf(WorkflowPackage.FormatException.class)
        .hasMessageContaining("a package name");
    assertThatThrownBy(() -> WorkflowPackage.of(dir, "ok", "1 2"))
        .isInstanceOf(WorkflowPackage.FormatException.class)
        .hasMessageContaining("a package version");
  }
}
