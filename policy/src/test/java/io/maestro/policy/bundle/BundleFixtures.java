package io.maestro.policy.bundle;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

final class BundleFixtures {
  private BundleFixtures() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, byte[]> files() {
    Map<String, byte[]> files = new TreeMap<>();
    files.put(
        "maestro/authz/authz.rego",
        utf8("package maestro.authz\n\ndefault allow := false\n\nallow if input.ok\n"));
    files.put("maestro/rbac/rbac.rego", utf8("# a comment\npackage maestro.rbac\n\nx := 1\n"));
    files.put("maestro/rbac/data.json", utf8("{\"roles\": {\"b\": 2, \"a\": [1, 2.50]}}"));
    files.put("maestro/abac/data.yaml", utf8("thresholds:\n  high: 7\n  low: 1.5\n"));
    return files;
  }

  static Bundle bundle() {
    return Bundle.of("test", files(), Manifest.of("rev-1", List.of("maestro")));
  }
}
