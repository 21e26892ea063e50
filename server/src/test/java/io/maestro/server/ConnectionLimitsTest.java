package io.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.http.HttpJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP edge against clients that hold connections or send oversized prologues, over raw
 * sockets: idle and stalled connections are closed, connections beyond the cap are refused, and
 * what Helidon rejects before routing is still a problem document.
 */
class ConnectionLimitsTest {
  /** Far longer than the configured timeouts: a socket still open then was never closed. */
  static final int WAIT_MILLIS = 10_000;

  @TempDir Path dir;

  MaestroServer start(Map<String, String> overrides) {
    return MaestroServer.start(TestServers.config(dir, overrides));
  }

  static Socket connect(MaestroServer server) throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(WAIT_MILLIS);
    return s;
  }

  /** Reads until the server closes the connection; fails if it is still open after the wait. */
  static String readUntilClosed(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open: " + out, e);
    } catch (SocketException e) {
      // reset by the server: closed as well
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static void send(Socket s, String text) throws IOException {
    OutputStream o = s.getOutputStream();
    o.write(text.getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  /** Regression: idle keep-alive connections were held 30-40 s. */
  @Test
  void idleKeepAliveConnection_isClosed() throws Exception {
    try (MaestroServer server = start(Map.of("server.idleTimeoutSeconds", "1"));
        Socket s = connect(server)) {
      send(s, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(readUntilClosed(s)).startsWith("HTTP/1.1 200");
    }
  }

  /** Regression: a client that stalls in its request line held the connection. */
  @Test
  void stalledRequestLine_isClosed() throws Exception {
    try (MaestroServer server = start(Map.of("server.idleTimeoutSeconds", "1"));
        Socket s = connect(server)) {
      send(s, "GET /heal");
      assertThat(readUntilClosed(s)).doesNotContain("200 OK");
    }
  }

  /** Regression: a client that stalls in the middle of its headers held the connection. */
  @Test
  void stalledHeaders_areClosed() throws Exception {
    try (MaestroServer server = start(Map.of("server.idleTimeoutSeconds", "1"));
        Socket s = connect(server)) {
      send(s, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nAccept: appl");
      assertThat(readUntilClosed(s)).doesNotContain("200 OK");
    }
  }

  /**
   * Regression: a request with Connection: close was held open after its response (Helidon sent the
   * header but kept the socket until the idle timeout). The idle timeout here is far longer than
   * the wait, so only closing after the response passes.
   */
  @Test
  void connectionClose_isClosedRightAfterTheResponse() throws Exception {
    try (MaestroServer server = start(Map.of("server.idleTimeoutSeconds", "120"));
        Socket s = connect(server)) {
      send(s, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertThat(readUntilClosed(s)).startsWith("HTTP/1.1 200");
    }
  }

  /** Regression: 500 idle connections all stayed open. */
  @Test
  void connectionsBeyondTheCap_waitUnserved() throws Exception {
    try (MaestroServer server = start(Map.of("server.maxConnections", "2"))) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Socket s = connect(server);
          send(s, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
          assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.UTF_8))
              .isEqualTo("HTTP/1.1 200");
          held.add(s);
        }
        // The third waits in the operating system's backlog, unserved, until a slot frees.
        try (Socket third = connect(server)) {
          third.setSoTimeout(2_000);
          send(third, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
          assertThatThrownBy(() -> third.getInputStream().read())
              .isInstanceOf(SocketTimeoutException.class);
          held.removeFirst().close();
          third.setSoTimeout(WAIT_MILLIS);
          assertThat(new String(third.getInputStream().readNBytes(12), StandardCharsets.UTF_8))
              .isEqualTo("HTTP/1.1 200");
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  /** Regression: an oversized request line or headers got Helidon's empty 400/414. */
  @Test
  void oversizedRequestLineAndHeaders_getAProblemDocument() throws Exception {
    try (MaestroServer server = start(Map.of())) {
      for (String request :
          List.of(
              "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
              "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                  + "b".repeat(40_000)
                  + "\r\n\r\n")) {
        try (Socket s = connect(server)) {
          send(s, request);
          String response = readUntilClosed(s);
          int status = Integer.parseInt(response.substring(9, 12));
          assertThat(status).as(response).isBetween(400, 499);
          assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
          JsonNode body =
              HttpJson.MAPPER.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
          assertThat(body.path("status").asInt()).isEqualTo(status);
          assertThat(body.path("code").asText()).isNotEmpty();
          assertThat(body.path("detail").asText()).isNotEmpty();
        }
      }
    }
  }

  /**
   * Under /scim/v2 even the errors Helidon answers before any route runs are SCIM error responses
   * (RFC 7644 §3.12; ADR 0048): an identity provider parses nothing else.
   */
  @Test
  void oversizedHeadersOnScim_getAScimError() throws Exception {
    try (MaestroServer server = start(Map.of());
        Socket s = connect(server)) {
      send(
          s,
          "GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nX-Big: "
              + "b".repeat(40_000)
              + "\r\n\r\n");
      String response = readUntilClosed(s);
      int status = Integer.parseInt(response.substring(9, 12));
      assertThat(status).as(response).isBetween(400, 499);
      assertThat(response.toLowerCase()).contains("content-type: application/scim+json");
      JsonNode body =
          HttpJson.MAPPER.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(body.path("schemas").get(0).asText())
          .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
      assertThat(body.path("status").asText()).isEqualTo(Integer.toString(status));
      assertThat(body.path(io.maestro.server.http.ScimErrors.EXTENSION).path("code").asText())
          .isNotEmpty();
    }
  }

  /** Regression: dev mode (the default) served its token issuer on any address. */
  @Test
  void devMode_refusesANonLoopbackAddressUnlessAllowed() {
    assertThatThrownBy(() -> start(Map.of("mode", "dev", "server.host", "0.0.0.0")))
        .hasMessageContaining("dev mode binds loopback only")
        .hasMessageContaining("--dev-allow-remote");
    try (MaestroServer server =
        start(Map.of("mode", "dev", "server.host", "0.0.0.0", "server.devAllowRemote", "true"))) {
      assertThat(server.describe()).contains("DEV MODE").contains("/api/dev/token");
    }
    try (MaestroServer server = start(Map.of("mode", "dev"))) {
      assertThat(server.describe()).contains("dev mode").contains("DEV MODE");
    }
  }

  /** Regression: the dev token issuer minted tokens for any caller, not only local ones. */
  @Test
  void devTokenIssuer_answersLoopbackCallersOnly() throws Exception {
    java.util.Optional<java.net.InetAddress> external = nonLoopbackAddress();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        external.isPresent(), "no non-loopback IPv4 address on this machine to call from");
    try (MaestroServer server =
        start(Map.of("mode", "dev", "server.host", "0.0.0.0", "server.devAllowRemote", "true"))) {
      String body = "{\"subject\":\"eve\",\"roles\":[\"conductor_admin\"]}";
      String local = post(server, "127.0.0.1", body);
      assertThat(local).startsWith("HTTP/1.1 201").contains("\"token\"");
      String remote = post(server, external.get().getHostAddress(), body);
      assertThat(remote).startsWith("HTTP/1.1 403").contains("dev_issuer_disabled");
      assertThat(remote).doesNotContain("\"token\"");
    }
  }

  /** A POST of {@code body} to the dev token endpoint, sent from {@code host} to itself. */
  static String post(MaestroServer server, String host, String body) throws IOException {
    try (Socket s = new Socket(host, server.port())) {
      s.setSoTimeout(WAIT_MILLIS);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      send(
          s,
          "POST /api/dev/token HTTP/1.1\r\nHost: "
              + host
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + bytes.length
              + "\r\nConnection: close\r\n\r\n"
              + body);
      return readUntilClosed(s);
    }
  }

  static java.util.Optional<java.net.InetAddress> nonLoopbackAddress() throws SocketException {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (var a : java.util.Collections.list(nic.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
          return java.util.Optional.of(a);
        }
      }
    }
    return java.util.Optional.empty();
  }
}
