package io.maestro.cli.support;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro support …} end to end against a dev server, as a support engineer runs it. */
class SupportCommandTest {
  @TempDir Path dir;

  MaestroServer start() {
    Path data = dir.resolve("data");
    return MaestroServer.start(
        new ConfigLoader(Map.of(), data)
            .load(
                Optional.empty(),
                Map.of(
                    "server.port", "0",
                    "server.host", "127.0.0.1",
                    "dataDir", data.toString(),
                    "log.level", "WARN")));
  }

  static String token(String url, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "token";
    all[1] = "issue";
    all[2] = "--dev";
    all[3] = "--url";
    all[4] = url;
    System.arraycopy(args, 0, all, 5, args.length);
    Run issued = maestro(all);
    assertThat(issued.code()).as(issued.err()).isZero();
    return issued.out().strip();
  }

  @Test
  void impersonateAndHealthBundle_asASupportEngineer() throws Exception {
    try (MaestroServer server = start()) {
      String url = "http://127.0.0.1:" + server.port();
      String admin =
          token(
              url,
              "--tenant",
              "acme",
              "--create",
              "--subject",
              "ana@acme",
              "--role",
              "tenant_admin");
      Run member =
          maestro(
              "tenants",
              "members",
              "set",
              "acme",
              "olav@acme",
              "operator",
              "--url",
              url,
              "--token",
              admin);
      assertThat(member.code()).as(member.out() + member.err()).isZero();
      String sue = token(url, "--subject", "sue@platform", "--role", "support");

      Run asked =
          maestro(
              "support",
              "impersonate",
              "request",
              "--tenant",
              "acme",
              "--subject",
              "olav@acme",
              "--reason",
              "ticket 4711",
              "--minutes",
              "15",
              "--url",
              url,
              "--token",
              sue);
      assertThat(asked.code()).as(asked.out() + asked.err()).isZero();
      assertThat(asked.out()).contains(" active — sue@platform as olav@acme (operator) for 15 min");
      Matcher id = Pattern.compile("impersonation (imp_\\S+)").matcher(asked.out());
      assertThat(id.find()).isTrue();

      Run listed =
          maestro(
              "support", "impersonate", "list", "--tenant", "acme", "--url", url, "--token", admin);
      assertThat(listed.out()).contains(id.group(1)).contains("ticket 4711");
      Run stopped =
          maestro(
              "support",
              "impersonate",
              "stop",
              id.group(1),
              "--tenant",
              "acme",
              "--url",
              url,
              "--token",
              sue);
      assertThat(stopped.code()).as(stopped.err()).isZero();
      assertThat(stopped.out()).contains(" stopped — ");

      Run tooLong =
          maestro(
              "support",
              "impersonate",
              "request",
              "--tenant",
              "acme",
              "--subject",
              "olav@acme",
              "--reason",
              "ticket",
              "--minutes",
              "600",
              "--url",
              url,
              "--token",
              sue);
      assertThat(tooLong.code()).isNotZero();
      assertThat(tooLong.err()).contains("longer than this profile's maximum of 60");

      Path bundle = dir.resolve("acme-health.tgz");
      Run made =
          maestro(
              "support",
              "health-bundle",
              "--tenant",
              "acme",
              "-o",
              bundle.toString(),
              "--url",
              url,
              "--token",
              sue);
      assertThat(made.code()).as(made.out() + made.err()).isZero();
      assertThat(made.out()).contains("receipt rcp_");
      Map<String, String> files = untar(bundle);
      assertThat(files).containsOnlyKeys("README.txt", "bundle.json");
      assertThat(files.get("bundle.json"))
          .contains("\"format\" : \"maestro.health-bundle/v1\"")
          .doesNotContain("olav@acme")
          .doesNotContain("ana@acme");
    }
  }

  static Map<String, String> untar(Path tgz) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        tar.transferTo(b);
        out.put(e.getName(), b.toString(StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
