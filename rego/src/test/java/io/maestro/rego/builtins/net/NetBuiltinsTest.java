package io.maestro.rego.builtins.net;

import static io.maestro.rego.builtins.net.BuiltinHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetBuiltinsTest {
  private final BuiltinHarness net = new BuiltinHarness(new NetBuiltins());

  private static Value strings(String... s) {
    List<Value> out = new ArrayList<>();
    for (String x : s) {
      out.add(StringValue.of(x));
    }
    return SetValue.of(out);
  }

  @Test
  void cidrContains_subnetsAndAddressesInBothFamilies() {
    assertThat(net.call("net.cidr_contains", "10.0.0.0/8", "10.1.0.0/24"))
        .isEqualTo(BooleanValue.TRUE);
    assertThat(net.call("net.cidr_contains", "172.17.0.0/24", "172.17.0.0/16"))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(net.call("net.cidr_contains", "10.0.0.0/8", "192.168.1.1"))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(
            net.call(
                "net.cidr_contains",
                "2001:4860:4860::8888/32",
                "2001:4860:4860:1234:5678:1234:5678:8888/128"))
        .isEqualTo(BooleanValue.TRUE);
    assertThat(net.call("net.cidr_contains", "2001:4860::/96", "2001:4860::/32"))
        .isEqualTo(BooleanValue.FALSE);
  }

  @Test
  void cidrContains_malformedNetworkIsBuiltinError() {
    assertThatThrownBy(() -> net.call("net.cidr_contains", "not-a-cidr", "192.168.1.67"))
        .isInstanceOf(BuiltinException.class)
        .extracting(e -> ((BuiltinException) e).code())
        .isEqualTo("eval_builtin_error");
  }

  @Test
  void cidrIntersects_overlapOnly() {
    assertThat(net.call("net.cidr_intersects", "192.168.1.0/25", "192.168.1.64/25"))
        .isEqualTo(BooleanValue.TRUE);
    assertThat(net.call("net.cidr_intersects", "192.168.1.0/24", "192.168.2.0/24"))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(
            net.call(
                "net.cidr_intersects", "fd1e:5bfe:8af3:9ddc::/64", "fd1e:5bfe:8af3:9ddc:1111::/72"))
        .isEqualTo(BooleanValue.TRUE);
  }

  @Test
  void cidrIsValid_requiresPrefix() {
    assertThat(net.call("net.cidr_is_valid", "192.168.1.0/24")).isEqualTo(BooleanValue.TRUE);
    assertThat(net.call("net.cidr_is_valid", "192.168.1.2")).isEqualTo(BooleanValue.FALSE);
    assertThat(net.call("net.cidr_is_valid", "2002::1234:abcd:ffff:c0a8:101/64"))
        .isEqualTo(BooleanValue.TRUE);
    assertThat(net.call("net.cidr_is_valid", "")).isEqualTo(BooleanValue.FALSE);
  }

  @Test
  void cidrExpand_includesNetworkAndBroadcast() {
    assertThat(net.call("net.cidr_expand", "192.168.1.1/30"))
        .isEqualTo(strings("192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"));
    assertThatThrownBy(() -> net.call("net.cidr_expand", "192.168.1.1/33"))
        .hasMessage("net.cidr_expand: invalid CIDR address: 192.168.1.1/33");
  }

  @Test
  void cidrMerge_mergesAdjacentAndContainedNetworks() {
    assertThat(
            net.call(
                "net.cidr_merge", List.of("192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31")))
        .isEqualTo(strings("192.0.2.112/29"));
    assertThat(
            net.call(
                "net.cidr_merge", List.of("192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31")))
        .isEqualTo(strings("192.0.2.112/31", "192.0.2.116/30"));
    assertThat(net.call("net.cidr_merge", List.of("192.0.128.0/24", "0.0.0.0/0")))
        .isEqualTo(strings("0.0.0.0/0"));
    assertThat(net.call("net.cidr_merge", List.of("::/0", "::192.0.2.0/124", "ff00::101/128")))
        .isEqualTo(strings("::/0"));
    assertThat(
            net.call(
                "net.cidr_merge",
                List.of(
                    "fe80::/120",
                    "192.0.2.0/24",
                    "192.0.3.0/24",
                    "192.0.4.0/25",
                    "192.0.4.128/25")))
        .isEqualTo(strings("192.0.2.0/23", "192.0.4.0/24", "fe80::/120"));
    assertThat(
            net.call(
                "net.cidr_merge",
                List.of(
                    "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64",
                    "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128")))
        .isEqualTo(strings("2601:600:8a80:207e::/64"));
  }

  @Test
  void cidrMerge_bareIpv4TakesClassfulMask() {
    assertThat(
            net.call("net.cidr_merge", List.of("192.0.2.112", "192.0.2.116/31", "192.0.2.118/31")))
        .isEqualTo(strings("192.0.2.0/24"));
    assertThat(net.call("net.cidr_merge", Set.of("192.0.128.0", "192.0.129.0")))
        .isEqualTo(strings("192.0.128.0/23"));
  }

  @Test
  void cidrMerge_bareIpv6IsAnError() {
    assertThatThrownBy(
            () -> net.call("net.cidr_merge", List.of("2601:600:8a80:207e:a57d:7567:e2c9:e7b3")))
        .hasMessage("net.cidr_merge: IPv6 invalid: needs prefix length");
  }

  @Test
  void cidrContainsMatches_reportsKeysOfMatchingPairs() {
    assertThat(
            net.call(
                "net.cidr_contains_matches",
                List.of(List.of("1.1.2.0/24", 1), "1.1.1.0/24"),
                List.of("1.1.1.1", "1.1.2.1")))
        .isEqualTo(SetValue.of(List.of(json("[0,1]"), json("[1,0]"))));
    assertThat(
            net.call(
                "net.cidr_contains_matches",
                json("{\"k1\": \"1.1.1.1/24\", \"k2\": [\"1.1.1.2/24\", 1]}"),
                "1.1.1.128"))
        .isEqualTo(
            SetValue.of(List.of(json("[\"k1\",\"1.1.1.128\"]"), json("[\"k2\",\"1.1.1.128\"]"))));
    assertThatThrownBy(
            () ->
                net.call(
                    "net.cidr_contains_matches",
                    List.of("1.1.2.0/24"),
                    List.of("1.1.1.1", List.of())))
        .hasMessage(
            "net.cidr_contains_matches: operand 2: element must be string or non-empty array");
  }

  @Test
  void lookupIpAddr_resolvesLiteralsAndLocalhostOnly() {
    assertThat(net.call("net.lookup_ip_addr", "10.0.0.0")).isEqualTo(strings("10.0.0.0"));
    assertThat(net.call("net.lookup_ip_addr", "::")).isEqualTo(strings("::"));
    assertThat(net.call("net.lookup_ip_addr", "localhost")).isEqualTo(strings("127.0.0.1", "::1"));
    assertThatThrownBy(() -> net.call("net.lookup_ip_addr", "example.com"))
        .isInstanceOf(BuiltinException.class);
  }
}
