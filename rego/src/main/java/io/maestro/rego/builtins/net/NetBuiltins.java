package io.maestro.rego.builtins.net;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code net.cidr_*} builtins for IPv4 and IPv6, with Go's parsing and printing rules (OPA uses
 * Go's {@code net} package, so a bare IPv4 address in {@code net.cidr_merge} takes its classful
 * default mask, exactly as there).
 */
public final class NetBuiltins implements BuiltinFamily {

  /**
   * {@code net.cidr_expand} materializes every address; larger networks are refused instead of
   * exhausting memory (OPA would run until its query deadline).
   */
  static final int MAX_EXPAND_HOST_BITS = 20;

  @Override
  public void register(BuiltinRegistry registry) {
    registry.register(
        "net.cidr_contains",
        "(string, string) => boolean",
        (ctx, a) -> contains("net.cidr_contains", a));
    registry.register(
        "net.cidr_overlap",
        "(string, string) => boolean | deprecated",
        (ctx, a) -> contains("net.cidr_overlap", a));
    registry.register(
        "net.cidr_intersects", "(string, string) => boolean", (ctx, a) -> intersects(a));
    registry.register("net.cidr_is_valid", "(string) => boolean", (ctx, a) -> isValid(a));
    registry.register("net.cidr_expand", "(string) => set[string]", (ctx, a) -> expand(a));
    registry.register(
        "net.cidr_merge",
        "(any<array[any<string>], set[string]>) => set[string]",
        (ctx, a) -> merge(a));
    registry.register(
        "net.cidr_contains_matches",
        "(any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>, any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>) => set[array<any, any>]",
        (ctx, a) -> containsMatches(a));
    registry.register(
        "net.lookup_ip_addr", "(string) => set[string] | nondeterministic", (ctx, a) -> lookup(a));
  }

  /**
   * {@code net.lookup_ip_addr} without the network: IP literals resolve to themselves and
   * "localhost" to the loopback addresses. Other names are an error (undefined unless strict),
   * because a decision must not depend on a DNS answer.
   */
  private static Value lookup(List<Value> args) {
    String b = "net.lookup_ip_addr";
    String name = Args.string(b, args, 0);
    byte[] ip = IpNet.parseIp(name);
    if (ip != null) {
      return SetValue.of(List.of(StringValue.of(IpNet.format(ip))));
    }
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("localhost") || lower.endsWith(".localhost")) {
      return SetValue.of(List.of(StringValue.of("127.0.0.1"), StringValue.of("::1")));
    }
    throw BuiltinException.error(
        b, "lookup " + name + ": name resolution is not available to policies");
  }

  private static IpNet network(String builtin, String s) {
    IpNet n = IpNet.parseCidr(s);
    if (n == null) {
      throw BuiltinException.error(builtin, "invalid CIDR address: " + s);
    }
    return n;
  }

  private static Value contains(String builtin, List<Value> args) {
    IpNet a = network(builtin, Args.string(builtin, args, 0));
    String b = Args.string(builtin, args, 1);
    return BooleanValue.of(containsText(builtin, a, b));
  }

  private static boolean containsText(String builtin, IpNet a, String b) {
    byte[] ip = IpNet.parseIp(b);
    if (ip != null) {
      return a.contains(ip);
    }
    IpNet bn = IpNet.parseCidr(b);
    if (bn == null) {
      throw BuiltinException.error(
          builtin, "not a valid textual representation of an IP address or CIDR: " + b);
    }
    return a.bits() == bn.bits()
        && a.first().compareTo(bn.first()) <= 0
        && a.last().compareTo(bn.last()) >= 0;
  }

  private static Value intersects(List<Value> args) {
    String b = "net.cidr_intersects";
    IpNet x = network(b, Args.string(b, args, 0));
    IpNet y = network(b, Args.string(b, args, 1));
    if (x.bits() != y.bits()) {
      return BooleanValue.FALSE;
    }
    return BooleanValue.of(
        x.first().compareTo(y.last()) <= 0 && y.first().compareTo(x.last()) <= 0);
  }

  private static Value isValid(List<Value> args) {
    if (!(args.get(0) instanceof StringValue s)) {
      return BooleanValue.FALSE;
    }
    return BooleanValue.of(IpNet.parseCidr(s.value()) != null);
  }

  private static Value expand(List<Value> args) {
    String b = "net.cidr_expand";
    IpNet n = network(b, Args.string(b, args, 0));
    if (n.bits() - n.prefix() > MAX_EXPAND_HOST_BITS) {
      throw BuiltinException.error(
          b, "network " + n + " has more than 2^" + MAX_EXPAND_HOST_BITS + " addresses");
    }
    List<Value> out = new ArrayList<>();
    int len = n.address().length;
    for (BigInteger i = n.first(); i.compareTo(n.last()) <= 0; i = i.add(BigInteger.ONE)) {
      out.add(StringValue.of(IpNet.format(IpNet.fromInt(i, len))));
    }
    return SetValue.of(out);
  }

  private record Range(BigInteger first, BigInteger last, IpNet original) {}

  private static Value merge(List<Value> args) {
    String b = "net.cidr_merge";
    Value arg = args.get(0);
    List<Value> elems;
    if (arg instanceof ArrayValue a) {
      elems = a.elements();
    } else if (arg instanceof SetValue s) {
      elems = new ArrayList<>(s.elements());
    } else {
      throw BuiltinException.typeError(b, 1, "any<array[any<string>], set[any<string>]>", arg);
    }
    List<Range> v4 = new ArrayList<>();
    List<Range> v6 = new ArrayList<>();
    for (Value e : elems) {
      if (!(e instanceof StringValue s)) {
        throw BuiltinException.error(b, "element must be string");
      }
      IpNet n = mergeElement(b, s.value());
      (n.address().length == 4 ? v4 : v6).add(new Range(n.first(), n.last(), n));
    }
    List<Value> out = new ArrayList<>();
    for (List<Range> family : List.of(v4, v6)) {
      for (Range r : mergeRanges(family)) {
        if (r.original() != null) {
          out.add(StringValue.of(r.original().toString()));
        } else {
          int len = family == v4 ? 4 : 16;
          for (IpNet n : IpNet.rangeToCidrs(r.first(), r.last(), len)) {
            out.add(StringValue.of(n.toString()));
          }
        }
      }
    }
    return SetValue.of(out);
  }

  private static IpNet mergeElement(String builtin, String s) {
    byte[] ip = IpNet.parseIp(s);
    if (ip == null) {
      IpNet n = IpNet.parseCidr(s);
      if (n == null) {
        throw BuiltinException.error(builtin, "invalid CIDR address: " + s);
      }
      return n;
    }
    if (ip.length == 4) {
      // Go's IP.DefaultMask: the classful mask of the address.
      int first = ip[0] & 0xff;
      int prefix = first < 0x80 ? 8 : first < 0xC0 ? 16 : 24;
      return new IpNet(ip, prefix);
    }
    throw BuiltinException.error(builtin, "IPv6 invalid: needs prefix length");
  }

  /** Sorts by last address and folds each range into its predecessor when they touch. */
  private static List<Range> mergeRanges(List<Range> in) {
    List<Range> ranges = new ArrayList<>(in);
    ranges.sort(Comparator.comparing(Range::last));
    for (int i = ranges.size() - 1; i > 0; i--) {
      Range cur = ranges.get(i);
      Range prev = ranges.get(i - 1);
      BigInteger before =
          cur.first().signum() == 0 ? BigInteger.ZERO : cur.first().subtract(BigInteger.ONE);
      if (before.compareTo(prev.last()) <= 0) {
        BigInteger first = prev.first().min(cur.first());
        ranges.set(i - 1, new Range(first, cur.last(), null));
        ranges.remove(i);
      }
    }
    return ranges;
  }

  private record Match(String cidr, Value key) {}

  private static Value containsMatches(List<Value> args) {
    String b = "net.cidr_contains_matches";
    List<Match> left = matchOperand(b, 1, args.get(0));
    List<Match> right = matchOperand(b, 2, args.get(1));
    List<Value> out = new ArrayList<>();
    for (Match l : left) {
      for (Match r : right) {
        IpNet net = network(b, l.cidr());
        if (containsText(b, net, r.cidr())) {
          out.add(ArrayValue.of(List.of(l.key(), r.key())));
        }
      }
    }
    return SetValue.of(out);
  }

  private static List<Match> matchOperand(String b, int operand, Value v) {
    List<Match> out = new ArrayList<>();
    switch (v) {
      case StringValue s -> out.add(new Match(s.value(), s));
      case ArrayValue a -> {
        for (int i = 0; i < a.size(); i++) {
          out.add(new Match(matchCidr(b, operand, a.get(i)), NumberValue.of(i)));
        }
      }
      case SetValue s -> {
        for (Value e : s.elements()) {
          out.add(new Match(matchCidr(b, operand, e), e));
        }
      }
      case ObjectValue o -> {
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          out.add(new Match(matchCidr(b, operand, e.getValue()), e.getKey()));
        }
      }
      default ->
          throw BuiltinException.typeError(
              b,
              operand,
              "any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>",
              v);
    }
    return out;
  }

  private static String matchCidr(String b, int operand, Value e) {
    if (e instanceof StringValue s) {
      return s.value();
    }
    if (e instanceof ArrayValue a && a.size() > 0 && a.get(0) instanceof StringValue s) {
      return s.value();
    }
    throw BuiltinException.error(
        b, "operand " + operand + ": element must be string or non-empty array");
  }
}
