package io.maestro.rego.builtins.jwt;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/** The constraints object of {@code io.jwt.decode_verify}. */
record Constraints(
    String secret,
    List<JwtKeys.KeyEntry> keys,
    String alg,
    String iss,
    String aud,
    BigDecimal timeNanos) {

  static Constraints parse(String builtin, ObjectValue o, Instant now) {
    String secret = "";
    List<JwtKeys.KeyEntry> keys = null;
    String alg = "";
    String iss = "";
    String aud = "";
    BigDecimal time = null;
    for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
      String name = e.getKey() instanceof StringValue s ? s.value() : e.getKey().toRego();
      Value v = e.getValue();
      switch (name) {
        case "cert" -> {
          if (!(v instanceof StringValue s)) {
            throw BuiltinException.error(builtin, "cert constraint: must be a string");
          }
          try {
            keys = JwtKeys.verificationKeys(s.value());
          } catch (GeneralSecurityException ex) {
            throw BuiltinException.error(builtin, ex.getMessage());
          }
        }
        case "secret" -> secret = string(builtin, name, v);
        case "alg" -> alg = string(builtin, name, v);
        case "iss" -> iss = string(builtin, name, v);
        case "aud" -> aud = string(builtin, name, v);
        case "time" -> time = time(builtin, v);
        default ->
            throw BuiltinException.error(builtin, "unknown token validation constraint: " + name);
      }
    }
    if (time == null) {
      time =
          BigDecimal.valueOf(now.getEpochSecond())
              .multiply(BigDecimal.valueOf(1_000_000_000L))
              .add(BigDecimal.valueOf(now.getNano()));
    }
    int keyKinds = (keys != null ? 1 : 0) + (secret.isEmpty() ? 0 : 1);
    if (keyKinds > 1) {
      throw BuiltinException.error(builtin, "duplicate key constraints");
    }
    if (keyKinds < 1) {
      throw BuiltinException.error(builtin, "no key constraint");
    }
    return new Constraints(secret, keys, alg, iss, aud, time);
  }

  private static String string(String builtin, String name, Value v) {
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.error(builtin, name + " constraint: must be a string");
    }
    return s.value();
  }

  private static BigDecimal time(String builtin, Value v) {
    if (!(v instanceof NumberValue n)) {
      throw BuiltinException.error(builtin, "token time constraint: must be a number");
    }
    if (n.decimal().signum() < 0) {
      throw BuiltinException.error(builtin, "token time constraint: must not be negative");
    }
    return n.decimal();
  }

  boolean verify(String kid, String alg, byte[] input, byte[] signature) {
    if (keys != null) {
      if (!kid.isEmpty()) {
        for (JwtKeys.KeyEntry k : keys) {
          if (k.kid().equals(kid)) {
            return JwsAlgorithms.verify(alg, k.key(), input, signature);
          }
        }
      }
      for (JwtKeys.KeyEntry k : keys) {
        if (!k.alg().isEmpty() && !k.alg().equals(alg)) {
          continue;
        }
        if (JwsAlgorithms.verify(alg, k.key(), input, signature)) {
          return true;
        }
      }
      return false;
    }
    byte[] s = secret.getBytes(StandardCharsets.UTF_8);
    return JwsAlgorithms.verify(alg, new SecretKeySpec(s, "HMAC"), input, signature);
  }

  boolean validAudience(Value audClaim) {
    if (audClaim instanceof StringValue s) {
      return s.value().equals(aud);
    }
    if (audClaim instanceof ArrayValue a) {
      for (Value e : a.elements()) {
        if (e instanceof StringValue s && s.value().equals(aud)) {
          return true;
        }
      }
    }
    return false;
  }
}
