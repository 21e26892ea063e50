package io.maestro.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.UserError;
import io.maestro.policy.bundle.Keys;
import io.maestro.policy.bundle.SignatureAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code maestro policy …} driven as a user would, in process. */
class PolicyCommandTest {
  static final Path POLICIES = Path.of("..", "policies");
  static final Path DOCS = Path.of("..", "docs", "policies");

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  /** Skips while the rego engine lacks builtins the canon packs call (built in parallel). */
  static void assumeEngineRunsCanonPacks() {
    for (String b : List.of("sprintf", "concat", "endswith", "object.get", "object.union")) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          io.maestro.rego.Rego.standardLibrary().containsKey(b),
          "the rego engine has no " + b + " yet");
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PolicyCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          if (e instanceof UserError ue) {
            c.getErr().println("maestro: " + ue.getMessage());
            return ue.exitCode();
          }
          throw e;
        });
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path write(String name, String content) throws Exception {
    Path p = tmp.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void test_runsTheCanonPacksWithCoverage() {
    assumeEngineRunsCanonPacks();
    Run r = run("test", POLICIES.toString(), "--coverage");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).containsPattern("PASS: (\\d+)/\\1").contains("overage");
  }

  @Test
  void test_failsWithOpaLikeOutput() throws Exception {
    write("p/p.rego", "package p\n\nallow if input.ok\n");
    write(
        "p/p_test.rego",
        "package p_test\n\nimport data.p\n\ntest_ok if p.allow with input as {\"ok\": false}\n");
    Run r = run("test", tmp.resolve("p").toString(), "-v");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("data.p_test.test_ok: FAIL", "FAIL: 1/1");
  }

  @Test
  void check_reportsFileLineColumn() throws Exception {
    Path bad = write("bad.rego", "package bad\n\nallow if {\n  input.x ==\n}\n");
    Run r = run("check", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).containsPattern("bad\\.rego:\\d+:\\d+: rego_parse_error: ");
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void check_reportsEveryCompileErrorWithItsLocation() throws Exception {
    write("many/a.rego", "package a\n\np if {\n  x > 1\n}\n\nr if {\n  nope.nothing(1)\n}\n");
    write("many/b.rego", "package b\n\nq if {\n  count([1], 2, 3)\n}\n");
    Run r = run("check", tmp.resolve("many").toString());
    assertThat(r.code()).isEqualTo(1);
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).endsWith("a.rego:4:3: rego_unsafe_var_error: var x is unsafe");
    assertThat(lines.get(1))
        .containsPattern("a\\.rego:8:3: rego_type_error: undefined function nope\\.nothing");
    assertThat(lines.get(2))
        .endsWith("b.rego:4:3: rego_type_error: count: arity mismatch: expected 1 argument, got 3");
  }

  @Test
  void check_passesOnTheCanonPacks() {
    assumeEngineRunsCanonPacks();
    Run r = run("check", POLICIES.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("modules checked, no errors");
  }

  @Test
  void eval_printsOpaResultJson() throws Exception {
    assumeEngineRunsCanonPacks();
    Path input =
        write(
            "input.json",
            """
            {"action": "workflow.read", "actor": {"sub": "a@acme", "roles": ["read_only"], "tenant": "acme"},
             "tenant": {"id": "acme", "profile": "internal-default"},
             "resource": {"type": "workflow", "tenant": "acme"}}
            """);
    Run r =
        run(
            "eval",
            "-d",
            POLICIES.toString(),
            "-i",
            input.toString(),
            "data.maestro.authz.decision.allow");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\"value\" : true", "\"text\" : \"data.maestro.authz.decision.allow\"");

    Run pretty =
        run(
            "eval",
            "-d",
            POLICIES.toString(),
            "-i",
            input.toString(),
            "--format",
            "pretty",
            "data.maestro.authz.decision.nope");
    assertThat(pretty.out().strip()).isEqualTo("undefined");
  }

  @Test
  void eval_badInputIsOneLine() throws Exception {
    Path input = write("input.json", "{\"a\": ");
    Run r =
        run(
            "eval",
            "-d",
            write("x.rego", "package x\n\ny := 1\n").toString(),
            "-i",
            input.toString(),
            "data.x.y");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains("input.json:");
  }

  @Test
  void buildSignVerify_roundTripAndEveryTamperingFails() throws Exception {
    Path dir = tmp.resolve("b");
    write("b/.manifest", "{\"revision\": \"\", \"roots\": [\"acme\"]}");
    write(
        "b/acme/authz.rego",
        "package acme.authz\n\ndefault allow := false\n\nallow if input.admin\n");
    write("b/acme/data.json", "{\"limits\": {\"max\": 3}}");
    Keys.SigningKey key = Keys.generate(SignatureAlgorithm.ES256);
    Path priv = write("k.pem", Keys.toPem(key.privateKey()));
    Path pub = write("k.pub.pem", Keys.toPem(key.publicKey().orElseThrow()));
    Path out = tmp.resolve("bundle.tar.gz");

    Run build =
        run(
            "build",
            dir.toString(),
            "-o",
            out.toString(),
            "--revision",
            "r42",
            "--signing-key",
            priv.toString(),
            "--key-id",
            "ops");
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.out()).contains("revision 'r42'", "signed with key 'ops'");

    Run verify = run("verify", out.toString(), "--public-key", pub.toString());
    assertThat(verify.code()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("revision 'r42'", "key 'ops' (ES256)");

    Run inspect = run("inspect", out.toString(), "--public-key", pub.toString());
    assertThat(inspect.out())
        .contains("Revision:   r42", "signed, key 'ops', ES256", "verified", "data.acme.authz");

    // Tampering: an altered file, an extra file, a missing file, a foreign key, another scope.
    Path unpacked = tmp.resolve("unpacked");
    io.maestro.policy.bundle.BundleIO.writeDirectory(
        io.maestro.policy.bundle.BundleIO.read(out), unpacked);
    Files.writeString(
        unpacked.resolve("acme/authz.rego"), "package acme.authz\n\ndefault allow := true\n");
    assertVerifyFails(unpacked, pub, "digest mismatch");

    io.maestro.policy.bundle.BundleIO.writeDirectory(
        io.maestro.policy.bundle.BundleIO.read(out), tmp.resolve("extra"));
    write("extra/acme/more.rego", "package acme.more\n");
    assertVerifyFails(tmp.resolve("extra"), pub, "not included in the signature");

    io.maestro.policy.bundle.BundleIO.writeDirectory(
        io.maestro.policy.bundle.BundleIO.read(out), tmp.resolve("missing"));
    Files.delete(tmp.resolve("missing/acme/data.json"));
    assertVerifyFails(tmp.resolve("missing"), pub, "not found in the bundle");

    Path otherPub =
        write(
            "other.pub.pem",
            Keys.toPem(Keys.generate(SignatureAlgorithm.ES256).publicKey().orElseThrow()));
    assertVerifyFails(out, otherPub, "does not verify");

    Run scoped = run("verify", out.toString(), "--public-key", pub.toString(), "--scope", "write");
    assertThat(scoped.code()).isEqualTo(1);
    assertThat(scoped.err()).contains("scope mismatch");

    Run unknown = run("verify", out.toString(), "--public-key", pub.toString(), "--key-id", "nope");
    assertThat(unknown.code()).isZero(); // a configured key id overrides the token's, as in OPA
  }

  @Test
  void sign_writesSignaturesIntoADirectory() throws Exception {
    write("d/x/x.rego", "package x\n\ny := 1\n");
    Keys.SigningKey key = Keys.generate(SignatureAlgorithm.EdDSA);
    Path priv = write("ed.pem", Keys.toPem(key.privateKey()));
    Path pub = write("ed.pub.pem", Keys.toPem(key.publicKey().orElseThrow()));

    Run sign =
        run(
            "sign",
            tmp.resolve("d").toString(),
            "--signing-key",
            priv.toString(),
            "--key-id",
            "ed");
    assertThat(sign.code()).as(sign.err()).isZero();
    assertThat(tmp.resolve("d/.signatures.json")).exists();
    assertThat(run("verify", tmp.resolve("d").toString(), "--public-key", pub.toString()).code())
        .isZero();
  }

  @Test
  void build_refusesPolicyThatDoesNotCompile() throws Exception {
    write("c/c.rego", "package c\n\nallow if undefined_fn(1)\n");
    Run r = run("build", tmp.resolve("c").toString(), "-o", tmp.resolve("c.tar.gz").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).containsPattern("c\\.rego:\\d+:\\d+: rego_");
  }

  @Test
  void docs_checkPassesOnCommittedDocsAndFailsOnAWrongExample() throws Exception {
    assumeEngineRunsCanonPacks();
    Run ok = run("docs", POLICIES.toString(), "-o", DOCS.toString(), "--check");
    assertThat(ok.code()).as(ok.err()).isZero();

    write(
        "w/w.rego",
        """
        # METADATA
        # title: Wrong
        # custom:
        #   examples:
        #     - name: says yes
        #       query: data.w.allow
        #       input: {"ok": false}
        #       expect: true
        package w

        default allow := false

        allow if input.ok
        """);
    Run bad = run("docs", tmp.resolve("w").toString(), "-o", tmp.resolve("out").toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("example 'says yes' of w: got false, expected true");
    assertThat(tmp.resolve("out")).doesNotExist();

    Run gen = run("docs", POLICIES.toString(), "-o", tmp.resolve("gen").toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(
            Files.list(tmp.resolve("gen")).map(p -> p.getFileName().toString()).sorted().toList())
        .containsAll(List.of("README.md", "maestro.authz.md", "profiles.md"));
  }

  private void assertVerifyFails(Path bundle, Path pub, String message) {
    Run r = run("verify", bundle.toString(), "--public-key", pub.toString());
    assertThat(r.code()).as(r.out()).isEqualTo(1);
    assertThat(r.err()).contains(message);
    assertThat(r.err().lines().toList()).hasSize(1);
  }

  @Test
  void capabilities_printsOpaCapabilitiesJsonOfTheEngine() throws Exception {
    Run r = run("capabilities");

    assertThat(r.code()).isZero();
    var caps = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    var flatten =
        java.util.stream.StreamSupport.stream(caps.get("builtins").spliterator(), false)
            .filter(b -> b.get("name").asText().equals("array.flatten"))
            .findFirst()
            .orElseThrow();
    assertThat(flatten.get("decl").toString())
        .isEqualTo(
            "{\"args\":[{\"dynamic\":{\"type\":\"any\"},\"type\":\"array\"}],"
                + "\"result\":{\"dynamic\":{\"type\":\"any\"},\"type\":\"array\"},\"type\":\"function\"}");
    assertThat(run("capabilities", "--current").out()).isEqualTo(r.out());
  }
}
