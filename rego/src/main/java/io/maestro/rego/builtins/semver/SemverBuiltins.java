package io.maestro.rego.builtins.semver;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.List;
import java.util.regex.Pattern;

/** semver.is_valid and semver.compare over Semantic Versioning 2.0.0 strings (no "v" prefix). */
public final class SemverBuiltins implements BuiltinFamily {

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "semver.is_valid",
        "(any) => boolean",
        (ctx, a) ->
            BooleanValue.of(a.get(0) instanceof StringValue s && Version.parse(s.value()) != null));
    r.register(
        "semver.compare",
        "(string, string) => number",
        (ctx, a) -> {
          Version x = operand(a, 0);
          Version y = operand(a, 1);
          return NumberValue.of(Integer.signum(x.compareTo(y)));
        });
  }

  private static Version operand(List<Value> a, int i) {
    String s = Args.string("semver.compare", a, i);
    Version v = Version.parse(s);
    if (v == null) {
      throw BuiltinException.error(
          "semver.compare",
          "operand " + (i + 1) + ": string " + a.get(i).toRego() + " is not a valid SemVer");
    }
    return v;
  }

  /** A parsed version; build metadata is kept out because it never affects precedence. */
  record Version(long major, long minor, long patch, List<String> preRelease)
      implements Comparable<Version> {
    private static final Pattern IDENTIFIER = Pattern.compile("^[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*$");
    private static final Pattern NUMERIC = Pattern.compile("^[0-9]+$");

    /** Parses like OPA's semver package, or returns null. */
    static Version parse(String s) {
      String version = s;
      String metadata = "";
      int plus = version.indexOf('+');
      if (plus >= 0) {
        metadata = version.substring(plus + 1);
        version = version.substring(0, plus);
      }
      String pre = "";
      int dash = version.indexOf('-');
      if (dash >= 0) {
        pre = version.substring(dash + 1);
        version = version.substring(0, dash);
      }
      String[] parts = version.split("\\.", 3);
      if (parts.length != 3) {
        return null;
      }
      if ((!pre.isEmpty() && !IDENTIFIER.matcher(pre).matches())
          || (!metadata.isEmpty() && !IDENTIFIER.matcher(metadata).matches())) {
        return null;
      }
      long[] nums = new long[3];
      for (int i = 0; i < 3; i++) {
        try {
          nums[i] = Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return new Version(
          nums[0], nums[1], nums[2], pre.isEmpty() ? List.of() : List.of(pre.split("\\.")));
    }

    @Override
    public int compareTo(Version o) {
      int c = Long.compare(major, o.major);
      if (c == 0) {
        c = Long.compare(minor, o.minor);
      }
      if (c == 0) {
        c = Long.compare(patch, o.patch);
      }
      if (c != 0) {
        return c;
      }
      // A version without pre-release identifiers ranks above one with them.
      if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
        return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
      }
      for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
        c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
      boolean an = NUMERIC.matcher(a).matches();
      boolean bn = NUMERIC.matcher(b).matches();
      if (an && bn) {
        return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
      }
      if (an != bn) {
        return an ? -1 : 1;
      }
      return a.compareTo(b);
    }
  }
}
