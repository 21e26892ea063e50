package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * providers.aws.sign_req: signs an http.send request with AWS Signature Version 4, as OPA does
 * (method and path as given, headers lower-cased and sorted, the payload hash or UNSIGNED-PAYLOAD).
 * It only computes headers; nothing is sent.
 */
final class AwsSigning {
  private AwsSigning() {}

  private static final String NAME = "providers.aws.sign_req";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  static void register(BuiltinRegistry r) {
    r.register(
        NAME,
        "(object[string: any], object[string: any], number) => object[any: any]",
        AwsSigning::sign);
  }

  private static Value sign(BuiltinContext c, List<Value> a) {
    ObjectValue req = Args.object(NAME, a, 0);
    ObjectValue cfg = Args.object(NAME, a, 1);
    NumberValue ts = Args.number(NAME, a, 2);
    required(req, List.of("method", "url"), "operand 1", "request");
    required(
        cfg,
        List.of("aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"),
        "operand 2",
        "AWS config");
    boolean unsigned = false;
    Value dps = cfg.get("disable_payload_signing");
    if (dps != null) {
      if (!(dps instanceof BooleanValue b)) {
        throw BuiltinException.typeError(
            NAME, "operand 2 invalid value for 'disable_payload_signing' in AWS config");
      }
      unsigned = b.value();
    }
    if (!ts.isInteger() || ts.signum() < 0 || ts.bigInteger().bitLength() > 63) {
      throw BuiltinException.typeError(
          NAME, "operand 3 could not convert time_ns value into a unix timestamp");
    }
    long ns = ts.longValueExact();
    Instant when = Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);

    String method = str(req, "method");
    URI url;
    try {
      url = URI.create(str(req, "url"));
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error(NAME, "invalid url: " + e.getMessage());
    }
    byte[] body = new byte[0];
    if (req.get("raw_body") instanceof StringValue rb) {
      body = rb.value().getBytes(StandardCharsets.UTF_8);
    } else if (req.get("body") != null) {
      body = req.get("body").toJson().toString().getBytes(StandardCharsets.UTF_8);
    }
    String payloadHash = unsigned ? "UNSIGNED-PAYLOAD" : hex(sha256(body));
    String amzDate = AMZ_DATE.format(when);
    String date = amzDate.substring(0, 8);
    String host =
        url.getRawAuthority() == null ? "" : url.getRawAuthority().replaceFirst("^[^@]*@", "");

    // Headers to sign: the request's own (lower-cased; an existing value is signed as given),
    // then the ones SigV4 needs.
    Map<String, String> signed = new TreeMap<>();
    signed.put("host", host);
    signed.put("x-amz-date", amzDate);
    signed.put("x-amz-content-sha256", payloadHash);
    Value token = cfg.get("aws_session_token");
    if (token instanceof StringValue t && !t.value().isEmpty()) {
      signed.put("x-amz-security-token", t.value());
    }
    ObjectValue reqHeaders = req.get("headers") instanceof ObjectValue h ? h : ObjectValue.EMPTY;
    for (Map.Entry<Value, Value> e : reqHeaders.entries().entrySet()) {
      if (e.getKey() instanceof StringValue k) {
        signed.put(k.value().toLowerCase(java.util.Locale.ROOT), headerValue(e.getValue()));
      }
    }
    StringBuilder canonical = new StringBuilder();
    canonical
        .append(method)
        .append('\n')
        .append(url.getRawPath() == null ? "" : url.getRawPath())
        .append('\n');
    canonical.append(url.getRawQuery() == null ? "" : url.getRawQuery()).append('\n');
    for (Map.Entry<String, String> e : signed.entrySet()) {
      canonical.append(e.getKey()).append(':').append(e.getValue()).append('\n');
    }
    String signedNames = String.join(";", signed.keySet());
    canonical.append('\n').append(signedNames).append('\n').append(payloadHash);

    String region = str(cfg, "aws_region");
    String service = str(cfg, "aws_service");
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = ("AWS4" + str(cfg, "aws_secret_access_key")).getBytes(StandardCharsets.UTF_8);
    for (String part : List.of(date, region, service, "aws4_request")) {
      key = hmac(key, part);
    }
    String signature = hex(hmac(key, toSign));
    String auth =
        "AWS4-HMAC-SHA256 Credential="
            + str(cfg, "aws_access_key")
            + "/"
            + scope
            + ",SignedHeaders="
            + signedNames
            + ",Signature="
            + signature;

    HashMap<Value, Value> headers = new HashMap<>(reqHeaders.unordered());
    headers.put(StringValue.of("Authorization"), StringValue.of(auth));
    headers.put(StringValue.of("host"), StringValue.of(host));
    headers.put(StringValue.of("x-amz-date"), StringValue.of(amzDate));
    headers.put(StringValue.of("x-amz-content-sha256"), StringValue.of(payloadHash));
    if (signed.containsKey("x-amz-security-token")) {
      headers.put(
          StringValue.of("x-amz-security-token"),
          StringValue.of(signed.get("x-amz-security-token")));
    }
    HashMap<Value, Value> out = new HashMap<>(req.unordered());
    out.put(StringValue.of("headers"), ObjectValue.wrap(headers));
    return ObjectValue.wrap(out);
  }

  private static void required(ObjectValue o, List<String> keys, String operand, String what) {
    TreeSet<String> missing = new TreeSet<>();
    TreeSet<String> invalid = new TreeSet<>();
    for (String k : keys) {
      Value v = o.get(k);
      if (v == null) {
        missing.add(k);
      } else if (!(v instanceof StringValue)) {
        invalid.add(k);
      }
    }
    if (!missing.isEmpty()) {
      throw BuiltinException.typeError(
          NAME,
          operand + " missing required " + what + " parameters(s): " + Network.quoted(missing));
    }
    if (!invalid.isEmpty()) {
      throw BuiltinException.typeError(
          NAME,
          operand
              + " invalid values for required "
              + what
              + " parameters(s): "
              + Network.quoted(invalid));
    }
  }

  private static String headerValue(Value v) {
    return v instanceof StringValue s ? s.value() : v.toJson().toString();
  }

  private static String str(ObjectValue o, String k) {
    return ((StringValue) o.get(k)).value();
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String msg) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
