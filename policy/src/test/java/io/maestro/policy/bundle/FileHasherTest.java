package io.maestro.policy.bundle;

import static io.maestro.policy.bundle.BundleFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FileHasherTest {

  @Test
  void structuredFile_isHashedOverSortedCompactJsonKeepingNumberText() {
    String pretty =
        """
        {
          "key2": {"c": 123.45678911111111111111111111111111111111111111111111111, "b": 1, "a": 0},
          "key1": ["element1", "element2"]
        }
        """;
    String canonical =
        "{\"key1\":[\"element1\",\"element2\"],"
            + "\"key2\":{\"a\":0,\"b\":1,\"c\":123.45678911111111111111111111111111111111111111111111111}}";

    assertThat(new String(FileHasher.canonical("data.json", utf8(pretty)), StandardCharsets.UTF_8))
        .isEqualTo(canonical);
    assertThat(FileHasher.hash("a/data.json", utf8(pretty), HashAlgorithm.SHA256))
        .isEqualTo(sha256(canonical));
  }

  /** Digests from OPA's own bundle signing tests (sign_test.go), so ours interoperate. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        ".manifest|{\"revision\": \"quickbrownfaux\"}|MD5|a005c38a509dc2d5a7407b9494efb2ad",
        "a/b/c/data.json|[1,2,3]|SHA-512|60f7b5dc86ded48785436192a08dbfd04894d7f1b417c4f8d3714679a7f78cb3c833f16a8559a1cf1f32968747dc1d95ef34826263dacf125ded8f5c374be4c0",
        "a/b/d/data.json|true|MD5|b326b5062b2f0e69046810717534cb09",
        "a/b/y/data.yaml|foo: 1|SHA-512|20f27a640a233e6524fe7d138898583cd43475724806feb26be7f214e1d10b29edf6a0d3cb08f82107a45686b61b8fdabab6406cf4e70efe134f42238dbd70ab",
        "data.json|{\"x\": {\"y\": true}, \"a\": {\"b\": {\"z\": true}}}|MD5|36669864a622563256817033b1fc53db"
      })
  void structuredDigests_matchOpasTestVectors(
      String path, String content, String alg, String digest) {
    assertThat(FileHasher.hash(path, utf8(content), HashAlgorithm.fromOpaName(alg)))
        .isEqualTo(digest);
  }

  @Test
  void strings_areEncodedLikeGoWithoutHtmlEscaping() {
    String json = "[\"<foo></foo>\", \"$α©™\", \"tab\\there\", \"\\u0001\", \"a\\\"b\\\\\"]";
    assertThat(new String(FileHasher.canonical("data.json", utf8(json)), StandardCharsets.UTF_8))
        .isEqualTo("[\"<foo></foo>\",\"$α©™\",\"tab\\there\",\"\\u0001\",\"a\\\"b\\\\\"]");
  }

  @Test
  void keys_sortByUtf8BytesNotUtf16() {
    // By UTF-8 bytes U+FFFD (EF BF BD) comes before U+1F600 (F0 9F 98 80); Java's String order
    // compares UTF-16 units and would put the emoji's high surrogate (D83D) first.
    String json = "{\"\uD83D\uDE00\": 1, \"\uFFFD\": 2}";
    assertThat(new String(FileHasher.canonical("data.json", utf8(json)), StandardCharsets.UTF_8))
        .isEqualTo("{\"\uFFFD\":2,\"\uD83D\uDE00\":1}");
  }

  @Test
  void whitespaceAndKeyOrder_doNotChangeStructuredDigest() {
    String a =
        FileHasher.hash(
            ".manifest", utf8("{\"revision\":\"1\",\"roots\":[\"x\"]}"), HashAlgorithm.SHA256);
    String b =
        FileHasher.hash(
            ".manifest",
            utf8("{\n  \"roots\": [ \"x\" ],\n  \"revision\": \"1\"\n}\n"),
            HashAlgorithm.SHA256);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void policyFiles_areHashedAsBytes() {
    byte[] src = utf8("package x\n");
    assertThat(FileHasher.hash("x.rego", src, HashAlgorithm.SHA256))
        .isEqualTo(sha256("package x\n"));
    assertThat(FileHasher.hash("x.rego", utf8("package x \n"), HashAlgorithm.SHA256))
        .isNotEqualTo(sha256("package x\n"));
  }

  @Test
  void yamlData_isHashedAsItsJsonForm() {
    assertThat(
            new String(
                FileHasher.canonical("data.yaml", utf8("b: [1, 2.5]\na: {x: true, y: null}\n")),
                StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"x\":true,\"y\":null},\"b\":[1,2.5]}");
  }

  @Test
  void malformedStructuredFile_isABundleError() {
    assertThatThrownBy(() -> FileHasher.hash("data.json", utf8("{"), HashAlgorithm.SHA256))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("data.json: not valid JSON");
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8(s)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
