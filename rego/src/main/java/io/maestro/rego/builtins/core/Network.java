package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * http.send: policies here have no network, so the builtin validates its request like OPA (so
 * policy bugs surface the same way) and then fails; tests replace it with `with http.send as …`.
 */
final class Network {
  private Network() {}

  private static final Set<String> ALLOWED =
      Set.of(
          "method",
          "url",
          "body",
          "enable_redirect",
          "force_json_decode",
          "force_yaml_decode",
          "headers",
          "raw_body",
          "tls_use_system_certs",
          "tls_ca_cert",
          "tls_ca_cert_file",
          "tls_ca_cert_env_variable",
          "tls_client_cert",
          "tls_client_cert_file",
          "tls_client_cert_env_variable",
          "tls_client_key",
          "tls_client_key_file",
          "tls_client_key_env_variable",
          "tls_insecure_skip_verify",
          "tls_server_name",
          "timeout",
          "cache",
          "force_cache",
          "force_cache_duration_seconds",
          "raise_error",
          "caching_mode",
          "max_retry_attempts",
          "cache_ignored_headers");

  static void register(BuiltinRegistry r) {
    r.register(
        "http.send", "(object[string: any]) => object[any: any] | nondeterministic", Network::send);
  }

  private static Value send(BuiltinContext c, List<Value> a) {
    ObjectValue req = Args.object("http.send", a, 0);
    Set<String> invalid = new TreeSet<>();
    for (Value k : req.unordered().keySet()) {
      if (!(k instanceof StringValue s) || !ALLOWED.contains(s.value())) {
        invalid.add(k instanceof StringValue s ? s.value() : k.toRego());
      }
    }
    if (!invalid.isEmpty()) {
      throw BuiltinException.typeError(
          "http.send", "invalid request parameters(s): " + quoted(invalid));
    }
    Set<String> missing = new TreeSet<>();
    for (String k : List.of("method", "url")) {
      if (req.get(k) == null) {
        missing.add(k);
      }
    }
    if (!missing.isEmpty()) {
      throw BuiltinException.typeError(
          "http.send", "missing required request parameters(s): " + quoted(missing));
    }
    throw BuiltinException.error("http.send", "network access is not available to policies");
  }

  /**
   * Parameter names as OPA lists them in request validation errors ({@code {"a", "b"}}); also used
   * by {@code providers.aws.sign_req}, whose errors read the same way. Callers pass sorted sets.
   */
  static String quoted(Set<String> keys) {
    StringBuilder sb = new StringBuilder("{");
    for (String k : keys) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('"').append(k).append('"');
    }
    return sb.append('}').toString();
  }
}
