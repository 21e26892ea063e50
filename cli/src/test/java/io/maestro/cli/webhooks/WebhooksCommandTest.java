package io.maestro.cli.webhooks;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro webhooks} end to end: a real server (dev mode, so a loopback receiver is allowed),
 * a real receiver on 127.0.0.1 that checks each request's Standard Webhooks signature with the
 * secret the CLI printed, and every subcommand as a user types it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksCommandTest {
  static final Path HELLO = Path.of("..", "examples", "hello.yaml");
  static final Pattern SECRET = Pattern.compile("secret: (whsec_\\S+)");
  static final Pattern ENDPOINT = Pattern.compile("^(wh_\\w+)\\s", Pattern.MULTILINE);
  static final Pattern DELIVERY = Pattern.compile("^(msg_\\S+)\\s", Pattern.MULTILINE);

  @TempDir static Path dir;
  MaestroServer server;
  HttpServer receiver;
  String url;
  String token;

  /** One request the receiver got: its webhook-id and whether a signature matched the secret. */
  record Received(String id, String timestamp, String signatures, String body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN")));
    url = "http://127.0.0.1:" + server.port();
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  ex.getRequestHeaders().getFirst("webhook-id"),
                  ex.getRequestHeaders().getFirst("webhook-timestamp"),
                  ex.getRequestHeaders().getFirst("webhook-signature"),
                  new String(body, StandardCharsets.UTF_8)));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    Run issued =
        maestro(
            "token",
            "issue",
            "--dev",
            "--url",
            url,
            "--tenant",
            "acme",
            "--role",
            "tenant_admin",
            "--create");
    assertThat(issued.code()).as(issued.err()).isZero();
    token = issued.out().strip();
  }

  @AfterAll
  void stop() {
    receiver.stop(0);
    server.close();
  }

  Run cli(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return maestro(all);
  }

  Run ok(String... args) {
    Run r = cli(args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in:%n%s", p, text).isTrue();
    return m.group(1);
  }

  static boolean signedWith(String secret, Received r) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String expected =
        "v1,"
            + Base64.getEncoder()
                .encodeToString(
                    mac.doFinal(
                        (r.id() + "." + r.timestamp() + "." + r.body())
                            .getBytes(StandardCharsets.UTF_8)));
    return List.of(r.signatures().split(" ")).contains(expected);
  }

  void awaitReceived(int count) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (received.size() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(received).as("requests the receiver got").hasSizeGreaterThanOrEqualTo(count);
  }

  @Test
  void addRunDeliverReplayRotateDelete_asAUserWould() throws Exception {
    assertThat(ok("webhooks", "list").out()).contains("No webhooks.");

    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    Run added = ok("webhooks", "add", hook, "--events", "run_started");
    String secret = find(SECRET, added.out());
    String id = find(ENDPOINT, added.out());
    assertThat(added.out()).contains(hook).contains("events: run_started").contains("not shown");

    Run listed = ok("webhooks", "list");
    assertThat(listed.out()).contains(id).contains(hook).doesNotContain("whsec_");
    JsonNode json = new ObjectMapper().readTree(ok("webhooks", "list", "--output", "json").out());
    assertThat(json.path("webhooks").get(0).path("id").asText()).isEqualTo(id);
    assertThat(json.toString()).doesNotContain("whsec_");

    Run run = cli("run", HELLO.toString(), "--follow");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    awaitReceived(1);
    Received first = received.get(0);
    assertThat(signedWith(secret, first)).as("signed with the printed secret").isTrue();
    assertThat(first.body()).contains("io.maestro.metering.run_started");

    Run deliveries = ok("webhooks", "deliveries", id);
    String delivery = find(DELIVERY, deliveries.out());
    assertThat(delivery).isEqualTo(first.id());
    assertThat(deliveries.out())
        .contains("run_started  delivered  1 attempt(s)")
        .contains("#1 ")
        .contains("HTTP 204")
        .containsPattern("receipt \\S+");
    assertThat(ok("webhooks", "deliveries", id, "--status", "dead").out())
        .contains("No deliveries.");

    Run replayed = ok("webhooks", "replay", delivery);
    assertThat(replayed.out()).contains("Replaying " + delivery + " to " + id + ": pending");
    awaitReceived(2);
    assertThat(received.get(1).id()).as("a replay keeps the webhook-id").isEqualTo(delivery);

    Run rotated = ok("webhooks", "rotate", id);
    String next = find(SECRET, rotated.out());
    assertThat(next).isNotEqualTo(secret);
    assertThat(rotated.out()).contains("previous secret valid until");
    assertThat(ok("webhooks", "replay", delivery, "--webhook", id).out()).contains("pending");
    awaitReceived(3);
    Received afterRotation = received.get(2);
    assertThat(signedWith(next, afterRotation)).as("signed with the new secret").isTrue();
    assertThat(signedWith(secret, afterRotation)).as("and the old one, during overlap").isTrue();

    assertThat(ok("webhooks", "delete", id).out()).contains("Deleted " + id);
    assertThat(ok("webhooks", "list").out()).contains("No webhooks.");
  }

  @Test
  void badInput_isOneLineAndNonZero() {
    assertOneLine(cli("webhooks", "delete", "wh_nope"), "webhook_not_found");
    assertOneLine(cli("webhooks", "rotate", "wh_nope"), "webhook_not_found");
    assertOneLine(cli("webhooks", "deliveries", "wh_nope"), "webhook_not_found");
    assertOneLine(cli("webhooks", "replay", "msg_nope"), "webhook_delivery_not_found");
    assertOneLine(
        cli("webhooks", "replay", "msg_nope", "--webhook", "wh_nope"), "webhook_not_found");
    assertOneLine(
        cli("webhooks", "add", "not a url", "--events", "run_started"), "webhook_url_invalid");
    assertOneLine(
        cli("webhooks", "add", "http://127.0.0.1:9/x", "--events", "bogus"),
        "webhook_event_types_invalid");
    assertOneLine(cli("webhooks", "list", "--output", "xml"), "--output must be text or json");
    Run missing = cli("webhooks", "add", "http://127.0.0.1:9/x");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("--events");
  }

  static void assertOneLine(Run r, String text) {
    assertThat(r.code()).as(r.out()).isEqualTo(1);
    assertThat(r.err()).contains(text).doesNotContain("Exception");
    assertThat(r.err().lines()).hasSize(1);
  }
}
