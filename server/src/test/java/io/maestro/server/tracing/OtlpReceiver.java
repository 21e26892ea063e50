package io.maestro.server.tracing;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A small OTLP/HTTP trace receiver for tests: {@code POST /v1/traces} with an {@code
 * ExportTraceServiceRequest} in protobuf (opentelemetry-proto's {@code trace.proto}), decoded field
 * by field from the wire format, and answered 200 with an empty {@code ExportTraceServiceResponse}.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One exported span with what the tests read of it. */
  record ReceivedSpan(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      Map<String, String> attributes,
      int statusCode,
      Map<String, String> resource) {
    String attribute(String key) {
      return attributes.get(key);
    }
  }

  /** Span kinds as trace.proto numbers them. */
  static final int KIND_INTERNAL = 1;

  static final int KIND_SERVER = 2;
  static final int KIND_CLIENT = 3;
  static final int KIND_PRODUCER = 4;
  static final int KIND_CONSUMER = 5;

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
              body = in.readAllBytes();
            }
            if ("gzip"
                .equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
              body = gunzip(body);
            }
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!"POST".equals(exchange.getRequestMethod())) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            spans.addAll(decodeRequest(body));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
  static List<ReceivedSpan> decodeRequest(byte[] bytes) {
    List<ReceivedSpan> out = new ArrayList<>();
    Reader r = new Reader(bytes);
    while (r.more()) {
      int tag = r.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        out.addAll(resourceSpans(new Reader(r.bytes())));
      } else {
        r.skip(tag);
      }
    }
    return out;
  }

  // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
  private static List<ReceivedSpan> resourceSpans(Reader r) {
    Map<String, String> resource = new LinkedHashMap<>();
    List<byte[]> scopes = new ArrayList<>();
    while (r.more()) {
      int tag = r.tag();
      switch (tag >>> 3) {
        case 1 -> {
          // Resource { repeated KeyValue attributes = 1; }
          Reader res = new Reader(r.bytes());
          while (res.more()) {
            int t = res.tag();
            if (t >>> 3 == 1) {
              keyValue(new Reader(res.bytes()), resource);
            } else {
              res.skip(t);
            }
          }
        }
        case 2 -> scopes.add(r.bytes());
        default -> r.skip(tag);
      }
    }
    List<ReceivedSpan> out = new ArrayList<>();
    for (byte[] scope : scopes) {
      // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
      Reader s = new Reader(scope);
      while (s.more()) {
        int tag = s.tag();
        if (tag >>> 3 == 2) {
          out.add(span(new Reader(s.bytes()), resource));
        } else {
          s.skip(tag);
        }
      }
    }
    return out;
  }

  // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5;
  //        SpanKind kind = 6; repeated KeyValue attributes = 9; Status status = 15; }
  private static ReceivedSpan span(Reader r, Map<String, String> resource) {
    String trace = "";
    String id = "";
    String parent = "";
    String name = "";
    int kind = 0;
    int status = 0;
    Map<String, String> attributes = new LinkedHashMap<>();
    while (r.more()) {
      int tag = r.tag();
      switch (tag >>> 3) {
        case 1 -> trace = HexFormat.of().formatHex(r.bytes());
        case 2 -> id = HexFormat.of().formatHex(r.bytes());
        case 4 -> parent = HexFormat.of().formatHex(r.bytes());
        case 5 -> name = new String(r.bytes(), StandardCharsets.UTF_8);
        case 6 -> kind = (int) r.varint();
        case 9 -> keyValue(new Reader(r.bytes()), attributes);
        case 15 -> {
          // Status { string message = 2; StatusCode code = 3; }
          Reader st = new Reader(r.bytes());
          while (st.more()) {
            int t = st.tag();
            if (t >>> 3 == 3) {
              status = (int) st.varint();
            } else {
              st.skip(t);
            }
          }
        }
        default -> r.skip(tag);
      }
    }
    return new ReceivedSpan(trace, id, parent, name, kind, attributes, status, resource);
  }

  // KeyValue { string key = 1; AnyValue value = 2; }
  // AnyValue { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
  //            double double_value = 4; ... }
  private static void keyValue(Reader r, Map<String, String> into) {
    String key = "";
    String value = "";
    while (r.more()) {
      int tag = r.tag();
      if (tag >>> 3 == 1) {
        key = new String(r.bytes(), StandardCharsets.UTF_8);
      } else if (tag >>> 3 == 2) {
        Reader v = new Reader(r.bytes());
        while (v.more()) {
          int t = v.tag();
          switch (t >>> 3) {
            case 1 -> value = new String(v.bytes(), StandardCharsets.UTF_8);
            case 2 -> value = Boolean.toString(v.varint() != 0);
            case 3 -> value = Long.toString(v.varint());
            case 4 -> value = Double.toString(Double.longBitsToDouble(v.fixed64()));
            default -> v.skip(t);
          }
        }
      } else {
        r.skip(tag);
      }
    }
    into.put(key, value);
  }

  /** The protobuf wire format: varints, 64- and 32-bit fixed fields, length-delimited fields. */
  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    boolean more() {
      return pos < b.length;
    }

    int tag() {
      return (int) varint();
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b[pos++];
        result |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    long fixed64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (long) (b[pos++] & 0xff) << (8 * i);
      }
      return v;
    }

    byte[] bytes() {
      int len = (int) varint();
      if (len < 0 || pos + len > b.length) {
        throw new IllegalArgumentException("length " + len + " runs past the message");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(len);
      out.write(b, pos, len);
      pos += len;
      return out.toByteArray();
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> bytes();
        case 5 -> pos += 4;
        default -> throw new IllegalArgumentException("wire type " + (tag & 7) + " unsupported");
      }
    }
  }
}
