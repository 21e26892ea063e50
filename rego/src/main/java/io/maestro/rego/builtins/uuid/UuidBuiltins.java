package io.maestro.rego.builtins.uuid;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * uuid.rfc4122 (a random version 4 UUID, stable per key within one evaluation, drawn from the
 * evaluation's injected randomness) and uuid.parse (google/uuid's accepted forms; version, variant
 * and, for versions 1 and 2, the time-based fields OPA reports).
 */
public final class UuidBuiltins implements BuiltinFamily {
  /** 100-nanosecond ticks between 1582-10-15 and the Unix epoch. */
  private static final long GREGORIAN_OFFSET = 122192928000000000L;

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "uuid.rfc4122",
        "(string) => string | nondeterministic",
        (ctx, a) -> rfc4122(ctx, Args.string("uuid.rfc4122", a, 0)));
    r.register(
        "uuid.parse",
        "(string) => object[string: any]",
        (ctx, a) -> parse(Args.string("uuid.parse", a, 0)));
  }

  private static Value rfc4122(BuiltinContext ctx, String key) {
    // The same key yields the same UUID for the whole evaluation, as in OPA.
    return (Value)
        ctx.cache()
            .computeIfAbsent(
                List.of("uuid.rfc4122", key),
                k -> {
                  byte[] b = new byte[16];
                  ctx.random().nextBytes(b);
                  b[6] = (byte) ((b[6] & 0x0f) | 0x40);
                  b[8] = (byte) ((b[8] & 0x3f) | 0x80);
                  return StringValue.of(format(b));
                });
  }

  static String format(byte[] b) {
    String hex = HexFormat.of().formatHex(b);
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }

  /** google/uuid Parse: 36 chars, {braced}, urn:uuid: prefixed, or 32 hex digits. */
  static byte[] bytes(String s) {
    String hex;
    if (s.length() == 45) {
      if (!s.substring(0, 9).toLowerCase(Locale.ROOT).equals("urn:uuid:")) {
        return null;
      }
      s = s.substring(9);
    } else if (s.length() == 38) {
      if (s.charAt(0) != '{' || s.charAt(37) != '}') {
        return null;
      }
      s = s.substring(1, 37);
    }
    if (s.length() == 36) {
      if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
        return null;
      }
      hex = s.replace("-", "");
      if (hex.length() != 32) {
        return null;
      }
    } else if (s.length() == 32) {
      hex = s;
    } else {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 16; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 'f' || hex.charAt(2 * i + 1) > 'f') {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  private static Value parse(String s) {
    byte[] u = bytes(s);
    if (u == null) {
      return null;
    }
    Map<Value, Value> out = new HashMap<>();
    int version = (u[6] & 0xff) >> 4;
    out.put(StringValue.of("version"), NumberValue.of(version));
    out.put(StringValue.of("variant"), StringValue.of(variant(u[8] & 0xff)));
    if (version == 1 || version == 2) {
      long time = u32(u, 0) | (long) u16(u, 4) << 32 | (long) (u16(u, 6) & 0xfff) << 48;
      out.put(StringValue.of("time"), NumberValue.of((time - GREGORIAN_OFFSET) * 100));
      out.put(StringValue.of("nodeid"), StringValue.of(nodeId(u)));
      out.put(StringValue.of("macvariables"), StringValue.of(macVars(u[10] & 0xff)));
      out.put(StringValue.of("clocksequence"), NumberValue.of(u16(u, 8) & 0x3fff));
      if (version == 2) {
        out.put(StringValue.of("id"), NumberValue.of(u32(u, 0)));
        int domain = u[9] & 0xff;
        String name =
            switch (domain) {
              case 0 -> "Person";
              case 1 -> "Group";
              case 2 -> "Org";
              default -> "Domain" + domain;
            };
        out.put(StringValue.of("domain"), StringValue.of(name));
      }
    }
    return ObjectValue.of(out);
  }

  private static String variant(int b) {
    if ((b & 0xc0) == 0x80) {
      return "RFC4122";
    }
    if ((b & 0xe0) == 0xc0) {
      return "Microsoft";
    }
    if ((b & 0xe0) == 0xe0) {
      return "Future";
    }
    return "Reserved";
  }

  private static String macVars(int b) {
    if ((b & 0b11) == 0b11) {
      return "local:multicast";
    }
    if ((b & 0b01) == 0b01) {
      return "global:multicast";
    }
    if ((b & 0b10) == 0b10) {
      return "local:unicast";
    }
    return "global:unicast";
  }

  private static String nodeId(byte[] u) {
    StringBuilder sb = new StringBuilder();
    for (int i = 10; i < 16; i++) {
      if (i > 10) {
        sb.append('-');
      }
      sb.append(String.format("%02x", u[i] & 0xff));
    }
    return sb.toString();
  }

  private static long u32(byte[] b, int i) {
    return ((long) (b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }
}
