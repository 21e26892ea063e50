package io.maestro.rego.builtins.jwt;

import com.nimbusds.jose.jwk.JWK;
import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.GoJson;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.text.ParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code io.jwt.*} builtins: decoding, signature verification per algorithm, full verification
 * with constraints ({@code decode_verify}) and signing. Error texts follow OPA's.
 */
public final class JwtBuiltins implements BuiltinFamily {

  private static final List<String> VERIFY_ALGS =
      List.of(
          "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "io.jwt.decode",
        "(string) => array<object[any: any], object[any: any], string>",
        (ctx, a) -> decode(Args.string("io.jwt.decode", a, 0)));
    for (String alg : VERIFY_ALGS) {
      String name = "io.jwt.verify_" + alg.toLowerCase(java.util.Locale.ROOT);
      r.register(name, "(string, string) => boolean", (ctx, a) -> verifyWithKeys(name, alg, a));
    }
    for (String alg : List.of("HS256", "HS384", "HS512")) {
      String name = "io.jwt.verify_" + alg.toLowerCase(java.util.Locale.ROOT);
      r.register(name, "(string, string) => boolean", (ctx, a) -> verifyHmac(name, alg, a));
    }
    r.register(
        "io.jwt.decode_verify",
        "(string, object[string: any]) => array<boolean, object[any: any], object[any: any]> | nondeterministic",
        JwtBuiltins::decodeVerify);
    r.register(
        "io.jwt.encode_sign",
        "(object[string: any], object[string: any], object[string: any]) => string | nondeterministic",
        (ctx, a) -> encodeSign(a));
    r.register(
        "io.jwt.encode_sign_raw",
        "(string, string, string) => string | nondeterministic",
        (ctx, a) -> encodeSignRaw(a));
  }

  /** The three base64url parts of a compact JWS. */
  record Token(String header, String payload, String signature) {
    static Token split(String builtin, String jwt) {
      if (!jwt.contains(".")) {
        throw BuiltinException.error(builtin, "encoded JWT had no period separators");
      }
      String[] parts = jwt.split("\\.", -1);
      if (parts.length != 3) {
        throw BuiltinException.error(
            builtin, "encoded JWT must have 3 sections, found " + parts.length);
      }
      return new Token(parts[0], parts[1], parts[2]);
    }

    byte[] signingInput() {
      return (header + "." + payload).getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** OPA's base64url.decode: padding optional, Go's error text on bad input. */
  static byte[] b64url(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '=';
      if (!ok) {
        throw new IllegalArgumentException("illegal base64 data at input byte " + i);
      }
    }
    String t = s;
    int eq = t.indexOf('=');
    if (eq >= 0) {
      t = t.substring(0, eq);
    }
    if (t.length() % 4 == 1) {
      throw new IllegalArgumentException("illegal base64 data at input byte " + (t.length() - 1));
    }
    return Base64.getUrlDecoder().decode(t);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static ObjectValue jsonObject(String builtin, String prefix, String json) {
    Value v;
    try {
      v = GoJson.parse(json);
    } catch (GoJson.SyntaxError e) {
      throw BuiltinException.error(builtin, prefix + "invalid JSON: " + e.getMessage());
    }
    if (!(v instanceof ObjectValue o)) {
      throw BuiltinException.error(builtin, prefix + "decoded JSON type was not an Object");
    }
    return o;
  }

  private static ObjectValue decodeHeader(String builtin, Token t) {
    String json;
    try {
      json = text(b64url(t.header()));
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error(builtin, "JWT header had invalid encoding: " + e.getMessage());
    }
    ObjectValue header = jsonObject(builtin, "bad JWT header: ", json);
    if (header.get("enc") != null) {
      throw BuiltinException.error(builtin, "JWT is a JWE object, which is not supported");
    }
    return header;
  }

  private static String decodePayload(String builtin, Token t) {
    try {
      return text(b64url(t.payload()));
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error(builtin, "JWT payload had invalid encoding: " + e.getMessage());
    }
  }

  private static byte[] decodeSignature(String builtin, Token t) {
    try {
      return b64url(t.signature());
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error(builtin, e.getMessage());
    }
  }

  private static Value decode(String jwt) {
    String b = "io.jwt.decode";
    Token t = Token.split(b, jwt);
    ObjectValue header = decodeHeader(b, t);
    String payload = decodePayload(b, t);
    if (header.get("cty") instanceof StringValue cty && cty.value().equals("JWT")) {
      // A nested token is quoted in its parent's payload; strip the quotes and recurse.
      return decode(trim(payload, "\"'"));
    }
    ObjectValue claims = jsonObject(b, "", payload);
    byte[] sig;
    try {
      sig = b64url(t.signature());
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error(b, "JWT signature had invalid encoding: " + e.getMessage());
    }
    return ArrayValue.of(List.of(header, claims, StringValue.of(HexFormat.of().formatHex(sig))));
  }

  private static String trim(String s, String chars) {
    int start = 0;
    int end = s.length();
    while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(start, end);
  }

  private static Value verifyWithKeys(String builtin, String alg, List<Value> args) {
    String jwt = Args.string(builtin, args, 0);
    Token t = Token.split(builtin, jwt);
    String keyText = Args.string(builtin, args, 1);
    List<JwtKeys.KeyEntry> keys;
    try {
      keys = JwtKeys.verificationKeys(keyText);
    } catch (GeneralSecurityException e) {
      throw BuiltinException.error(builtin, e.getMessage());
    }
    byte[] sig = decodeSignature(builtin, t);
    ObjectValue header = decodeHeader(builtin, t);
    Header h = Header.parse(builtin, header);
    byte[] input = t.signingInput();
    if (!h.kid().isEmpty()) {
      for (JwtKeys.KeyEntry k : keys) {
        if (k.kid().equals(h.kid())) {
          return BooleanValue.of(JwsAlgorithms.verify(alg, k.key(), input, sig));
        }
      }
    }
    for (JwtKeys.KeyEntry k : keys) {
      if (!k.alg().isEmpty() && !k.alg().equals(h.alg())) {
        continue;
      }
      if (JwsAlgorithms.verify(alg, k.key(), input, sig)) {
        return BooleanValue.TRUE;
      }
    }
    return BooleanValue.FALSE;
  }

  private static Value verifyHmac(String builtin, String alg, List<Value> args) {
    String jwt = Args.string(builtin, args, 0);
    String secret = Args.string(builtin, args, 1);
    Token t = Token.split(builtin, jwt);
    byte[] sig = decodeSignature(builtin, t);
    Key key =
        new SecretKeySpec(
            secret.isEmpty() ? new byte[1] : secret.getBytes(StandardCharsets.UTF_8), "HMAC");
    return BooleanValue.of(JwsAlgorithms.verify(alg, key, t.signingInput(), sig));
  }

  /** The JOSE header fields OPA interprets. */
  record Header(String alg, String kid, String cty, boolean valid) {
    static Header parse(String builtin, ObjectValue header) {
      String alg = "";
      String kid = "";
      String cty = "";
      java.util.Set<String> crit = new java.util.HashSet<>();
      java.util.List<String> unknown = new java.util.ArrayList<>();
      for (Map.Entry<Value, Value> e : header.entries().entrySet()) {
        String k = ((StringValue) e.getKey()).value();
        Value v = e.getValue();
        switch (k) {
          case "alg", "kid", "typ", "cty" -> {
            if (!(v instanceof StringValue s)) {
              throw BuiltinException.error(builtin, k + ": must be a string");
            }
            switch (k) {
              case "alg" -> alg = s.value();
              case "kid" -> kid = s.value();
              case "cty" -> cty = s.value();
              default -> {}
            }
          }
          case "crit" -> {
            if (!(v instanceof ArrayValue a)) {
              throw BuiltinException.error(builtin, "crit: must be a list");
            }
            for (Value c : a.elements()) {
              if (c instanceof StringValue s) {
                crit.add(s.value());
              }
            }
            if (crit.isEmpty()) {
              throw BuiltinException.error(builtin, "crit: must be a nonempty list");
            }
          }
          default -> unknown.add(k);
        }
      }
      boolean valid = !alg.isEmpty() && unknown.stream().noneMatch(crit::contains);
      return new Header(alg, kid, cty, valid);
    }
  }

  private static Value decodeVerify(BuiltinContext ctx, List<Value> args) {
    String b = "io.jwt.decode_verify";
    String jwt = Args.string(b, args, 0);
    ObjectValue options = Args.object(b, args, 1);
    Value unverified =
        ArrayValue.of(
            List.of(BooleanValue.FALSE, ObjectValue.of(Map.of()), ObjectValue.of(Map.of())));
    Constraints c = Constraints.parse(b, options, ctx.now());
    ObjectValue header;
    String payloadText;
    String current = jwt;
    while (true) {
      Token t = Token.split(b, current);
      header = decodeHeader(b, t);
      Header h = Header.parse(b, header);
      if (!h.valid()) {
        return unverified;
      }
      if (!c.alg().isEmpty() && !c.alg().equals(h.alg())) {
        return unverified;
      }
      byte[] sig = decodeSignature(b, t);
      if (!c.verify(h.kid(), h.alg(), t.signingInput(), sig)) {
        return unverified;
      }
      payloadText = decodePayload(b, t);
      if (h.cty().equalsIgnoreCase("JWT")) {
        current = payloadText;
        continue;
      }
      break;
    }
    ObjectValue payload = jsonObject(b, "", payloadText);
    if (!c.iss().isEmpty()) {
      if (!(payload.get("iss") instanceof StringValue iss) || !iss.value().equals(c.iss())) {
        return unverified;
      }
    }
    Value aud = payload.get("aud");
    if (aud != null) {
      if (!c.validAudience(aud)) {
        return unverified;
      }
    } else if (!c.aud().isEmpty()) {
      return unverified;
    }
    BigDecimal nowSeconds = c.timeNanos().divide(BigDecimal.valueOf(1_000_000_000L));
    Value exp = payload.get("exp");
    if (exp != null) {
      if (!(exp instanceof NumberValue n)) {
        throw BuiltinException.error(b, "exp value must be a number");
      }
      if (nowSeconds.compareTo(n.decimal()) >= 0) {
        return unverified;
      }
    }
    Value nbf = payload.get("nbf");
    if (nbf != null) {
      if (!(nbf instanceof NumberValue n)) {
        throw BuiltinException.error(b, "nbf value must be a number");
      }
      if (nowSeconds.compareTo(n.decimal()) < 0) {
        return unverified;
      }
    }
    return ArrayValue.of(List.of(BooleanValue.TRUE, header, payload));
  }

  private static Value encodeSign(List<Value> args) {
    String b = "io.jwt.encode_sign";
    return sign(
        b,
        GoJson.marshal(args.get(0), null, null).getBytes(StandardCharsets.UTF_8),
        GoJson.marshal(args.get(1), null, null).getBytes(StandardCharsets.UTF_8),
        GoJson.marshal(args.get(2), null, null));
  }

  private static Value encodeSignRaw(List<Value> args) {
    String b = "io.jwt.encode_sign_raw";
    String jwk = Args.string(b, args, 2);
    String header = Args.string(b, args, 0);
    String payload = Args.string(b, args, 1);
    return sign(
        b, header.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8), jwk);
  }

  private static Value sign(String b, byte[] header, byte[] payload, String jwkText) {
    List<JWK> keys;
    try {
      keys = JwtKeys.parseJwks(jwkText);
    } catch (ParseException e) {
      throw BuiltinException.error(b, "failed to parse JWK: " + e.getMessage());
    }
    if (keys.isEmpty()) {
      throw BuiltinException.error(b, "no keys found in JWK set");
    }
    String headerText = new String(header, StandardCharsets.UTF_8);
    if (headerText.isEmpty()) {
      throw BuiltinException.error(
          b, "missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
    }
    ObjectValue parsedHeader = null;
    try {
      if (GoJson.parse(headerText) instanceof ObjectValue o) {
        parsedHeader = o;
      }
    } catch (GoJson.SyntaxError e) {
      // treated as a header without "alg", like OPA's header reader does
    }
    if (parsedHeader == null || !(parsedHeader.get("alg") instanceof StringValue algValue)) {
      throw BuiltinException.error(
          b, "missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
    }
    String alg = algValue.value();
    if (!JwsAlgorithms.known(alg)) {
      throw BuiltinException.error(b, "unknown JWS algorithm: " + alg);
    }
    Value typ = parsedHeader.get("typ");
    boolean jwtTyped = !(typ instanceof StringValue) || ((StringValue) typ).value().equals("JWT");
    if (jwtTyped && !GoJson.isValid(new String(payload, StandardCharsets.UTF_8))) {
      throw BuiltinException.error(b, "type is JWT but payload is not JSON");
    }
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    String input = enc.encodeToString(header) + "." + enc.encodeToString(payload);
    try {
      Key key = JwtKeys.signingKey(keys.get(0));
      byte[] sig = JwsAlgorithms.sign(alg, key, input.getBytes(StandardCharsets.US_ASCII));
      return StringValue.of(input + "." + enc.encodeToString(sig));
    } catch (GeneralSecurityException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }
}
