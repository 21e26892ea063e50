package io.maestro.policy.bundle;

import static io.maestro.policy.bundle.BundleFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleIOTest {
  @TempDir Path tmp;

  @Test
  void tarGz_isDeterministic() {
    byte[] a = BundleIO.toTarGz(BundleFixtures.bundle());
    byte[] b = BundleIO.toTarGz(BundleFixtures.bundle());
    assertThat(a).isEqualTo(b);
  }

  @Test
  void tarGz_roundTripsFilesManifestAndData() {
    Bundle back =
        BundleIO.readTarGz(
            "b", new ByteArrayInputStream(BundleIO.toTarGz(BundleFixtures.bundle())), 1 << 20);

    assertThat(back.paths()).containsExactlyElementsOf(BundleFixtures.bundle().paths());
    assertThat(back.revision()).isEqualTo("rev-1");
    assertThat(back.manifest().effectiveRoots()).containsExactly("maestro");
    assertThat(back.modules())
        .containsOnlyKeys("maestro/authz/authz.rego", "maestro/rbac/rbac.rego");
    assertThat(back.data().toString())
        .isEqualTo(
            "{\"maestro\":{\"abac\":{\"thresholds\":{\"high\":7,\"low\":1.5}},\"rbac\":{\"roles\":{\"b\":2,\"a\":[1,2.5]}}}}");
  }

  @Test
  void directory_roundTripsIncludingSignatures() {
    Keys.SigningKey key = Keys.generate(SignatureAlgorithm.ES256);
    Bundle signed =
        BundleSigner.sign(BundleFixtures.bundle(), key, BundleSigner.Options.keyId("k"));
    BundleIO.writeDirectory(signed, tmp.resolve("b"));

    Bundle back = BundleIO.read(tmp.resolve("b"));

    assertThat(Files.exists(tmp.resolve("b/.signatures.json"))).isTrue();
    assertThat(back.isSigned()).isTrue();
    assertThat(
            BundleVerifier.verify(
                    back,
                    BundleVerifier.Config.of(
                        "k", BundleVerifier.TrustedKey.of(key.publicKey().orElseThrow())))
                .files())
        .hasSize(5);
  }

  @Test
  void readDirectory_honoursIgnoreGlobs() throws Exception {
    Path dir = tmp.resolve("p");
    Files.createDirectories(dir.resolve("pack"));
    Files.writeString(dir.resolve("pack/p.rego"), "package pack\n");
    Files.writeString(dir.resolve("pack/p_test.rego"), "package pack\n");
    Files.writeString(dir.resolve("pack/README.md"), "# notes\n");

    Bundle b = BundleIO.read(dir, List.of("*_test.rego", "*.md"));

    assertThat(b.paths()).containsExactly("pack/p.rego");
  }

  @Test
  void archiveWithParentPath_isRejected() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
      byte[] c = utf8("package x\n");
      TarArchiveEntry e = new TarArchiveEntry("../evil.rego");
      e.setSize(c.length);
      tar.putArchiveEntry(e);
      tar.write(c);
      tar.closeArchiveEntry();
    }
    assertThatThrownBy(
            () ->
                BundleIO.readTarGz(
                    "evil.tar.gz", new ByteArrayInputStream(out.toByteArray()), 1 << 20))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("bad path");
  }

  @Test
  void oversizedArchive_isRejected() {
    byte[] archive = BundleIO.toTarGz(BundleFixtures.bundle());
    assertThatThrownBy(() -> BundleIO.readTarGz("big", new ByteArrayInputStream(archive), 10))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("size limit");
  }

  @Test
  void notAnArchive_givesOneClearError() {
    assertThatThrownBy(
            () -> BundleIO.readTarGz("x.tar.gz", new ByteArrayInputStream(utf8("hello")), 100))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith("x.tar.gz: not a gzipped tar archive");
  }

  @Test
  void moduleOutsideRoots_isRejected() {
    Map<String, byte[]> files = new TreeMap<>(Map.of("other/x.rego", utf8("package other\n")));
    assertThatThrownBy(() -> Bundle.of("b", files, Manifest.of("r", List.of("maestro"))))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("do not permit package 'other' in other/x.rego");
  }

  @Test
  void dataOutsideRoots_isRejected() {
    Map<String, byte[]> files = new TreeMap<>(Map.of("other/data.json", utf8("{}")));
    assertThatThrownBy(() -> Bundle.of("b", files, Manifest.of("r", List.of("maestro"))))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("do not permit data at path '/other'");
  }

  @Test
  void malformedDataFile_namesFileLineAndColumn() {
    Map<String, byte[]> files =
        new TreeMap<>(Map.of("maestro/data.json", utf8("{\n  \"a\": [1,\n}")));
    assertThatThrownBy(() -> Bundle.of("b", files, Manifest.of("r", List.of("maestro"))))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith("maestro/data.json:3:1: not valid JSON");
  }

  @Test
  void conflictingData_isRejected() {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("data.json", utf8("{\"a\": {\"b\": 1}}"));
    files.put("a/b/data.json", utf8("{\"c\": 2}"));
    assertThatThrownBy(() -> Bundle.of("b", files, Manifest.empty()))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("conflicts");
  }

  @Test
  void overlappingRootsInOneManifest_areRejected() {
    assertThatThrownBy(() -> Bundle.of("b", Map.of(), Manifest.of("r", List.of("a/b", "a"))))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("overlapping roots: 'a/b' and 'a'");
  }

  @Test
  void rootsOverlapBetweenBundles_namesBoth() {
    assertThat(Roots.overlap("maestro", "maestro/authz")).isTrue();
    assertThat(Roots.overlap("maestro/authz", "maestro/authzx")).isFalse();
    assertThat(Roots.overlap("", "anything")).isTrue();
    assertThatThrownBy(
            () ->
                Roots.requireDisjoint(
                    new java.util.LinkedHashMap<>(
                        Map.of(
                            "canon",
                            List.of("maestro"),
                            "tenant-acme",
                            List.of("maestro/custom")))))
        .isInstanceOfSatisfying(
            BundleException.class,
            e -> assertThat(e.code().code()).isEqualTo("bundle_roots_overlap"))
        .hasMessageContaining("'canon'")
        .hasMessageContaining("'tenant-acme'")
        .hasMessageContaining("'maestro/custom'");
  }

  @Test
  void manifest_keepsUnknownFieldsAndDefaultsRoots() {
    Manifest m =
        Manifest.parse(
            utf8("{\"revision\":\"7\",\"x_custom\":{\"a\":1},\"metadata\":{\"k\":\"v\"}}"));
    assertThat(m.effectiveRoots()).containsExactly("");
    assertThat(m.regoVersion()).isEqualTo(Optional.empty());
    assertThat(m.toJson().toString())
        .isEqualTo("{\"revision\":\"7\",\"metadata\":{\"k\":\"v\"},\"x_custom\":{\"a\":1}}");
  }

  @Test
  void packageScanner_readsQuotedAndDottedRefs() {
    assertThat(RegoPackages.packagePath("# METADATA\n# title: x\npackage a.b[\"c-d\"].e\n"))
        .isEqualTo("a/b/c-d/e");
    assertThat(RegoPackages.packagePath("import rego.v1\n")).isNull();
  }
}
