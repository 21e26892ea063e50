package io.maestro.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.policy.bundle.Bundle;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A policy profile as its manifest ({@code maestro/profiles/<id>/data.yaml}) declares it: which
 * packs it enables and with which settings. {@code sha256} is the digest of the manifest file, so
 * two deployments can tell whether they run the same profile.
 *
 * @param kind {@code PolicyProfile} (assigned to tenants) or {@code GovernanceProfile} (chosen by
 *     the edition)
 */
public record ProfileInfo(
    String id,
    String kind,
    int version,
    String title,
    String description,
    String edition,
    List<String> packs,
    ObjectNode settings,
    String file,
    String sha256) {

  public ProfileInfo {
    Objects.requireNonNull(id);
    packs = List.copyOf(packs);
    settings = settings.deepCopy();
  }

  /** The directory of profile manifests inside a bundle. */
  public static final String DIR = "maestro/profiles/";

  /** Every profile manifest in {@code bundle}, sorted by id. */
  public static List<ProfileInfo> all(Bundle bundle) {
    List<ProfileInfo> out = new ArrayList<>();
    JsonNode profiles = bundle.data().path("maestro").path("profiles");
    for (String path : bundle.paths()) {
      if (!path.startsWith(DIR) || !(path.endsWith("/data.yaml") || path.endsWith("/data.json"))) {
        continue;
      }
      String id = path.substring(DIR.length(), path.lastIndexOf('/'));
      if (id.contains("/")) {
        continue;
      }
      out.add(of(id, profiles.path(id), path, sha256(bundle.file(path).orElseThrow())));
    }
    out.sort(java.util.Comparator.comparing(ProfileInfo::id));
    return out;
  }

  static ProfileInfo of(String id, JsonNode m, String file, String sha256) {
    List<String> packs = new ArrayList<>();
    m.path("packs").forEach(p -> packs.add(p.asText()));
    JsonNode settings = m.path("settings");
    return new ProfileInfo(
        id,
        m.path("kind").asText("PolicyProfile"),
        m.path("version").asInt(0),
        m.path("title").asText(id),
        m.path("description").asText("").strip(),
        m.path("edition").asText("any"),
        packs,
        settings.isObject()
            ? (ObjectNode) settings
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
        file,
        sha256);
  }

  /**
   * Checks a manifest: its id matches its directory, it has a positive version, and it enables only
   * known packs, always including isolation and RBAC. Returns the problems, empty when none.
   */
  public List<String> problems(java.util.Set<String> knownPacks) {
    List<String> p = new ArrayList<>();
    if (version < 1) {
      p.add(file + ": version must be a positive integer");
    }
    for (String pack : packs) {
      if (!knownPacks.contains(pack)) {
        p.add(file + ": unknown pack '" + pack + "'");
      }
    }
    for (String required : List.of("maestro.isolation", "maestro.rbac")) {
      if (!packs.contains(required)) {
        p.add(file + ": every profile must enable " + required);
      }
    }
    return p;
  }

  static String sha256(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
