package io.maestro.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.tools.PackMetadata;
import io.maestro.policy.tools.PolicyDocs;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the active bundle offers, for {@code GET /api/policy-packs}, {@code /api/policy-packs/{id}}
 * and {@code /api/policy-profiles}: each pack's metadata and generated page, the bundle's revision,
 * content digest and signer, and the profiles with their checksums. Built once per activated
 * bundle; immutable.
 */
public final class PolicyCatalog {
  private final ActiveBundle active;
  private final Map<String, PackMetadata> packs;
  private final List<ProfileInfo> profiles;

  public PolicyCatalog(ActiveBundle active) {
    this.active = active;
    this.packs = PackMetadata.packs(active.bundle().modules());
    this.profiles = ProfileInfo.all(active.bundle());
  }

  public List<PackMetadata> packs() {
    return List.copyOf(packs.values());
  }

  public Optional<PackMetadata> pack(String id) {
    return Optional.ofNullable(packs.get(id));
  }

  public List<ProfileInfo> profiles() {
    return profiles;
  }

  public Optional<ProfileInfo> profile(String id) {
    return profiles.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The bundle facts every catalog answer carries. */
  public ObjectNode bundleJson() {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("name", active.bundle().name());
    b.put("revision", active.revision());
    b.put("digest", active.digest());
    b.put("signed_by", active.verified().keyId());
    b.put("algorithm", active.verified().algorithm().name());
    b.put("activated_at", active.activatedAt().toString());
    return b;
  }

  /** {@code GET /api/policy-packs}. */
  public ObjectNode packsJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("bundle", bundleJson());
    ArrayNode items = o.putArray("items");
    packs.values().forEach(p -> items.add(summary(p)));
    return o;
  }

  /** {@code GET /api/policy-packs/{id}}: the summary plus examples, reasons and the page. */
  public ObjectNode packJson(String id) {
    PackMetadata p =
        pack(id)
            .orElseThrow(
                () ->
                    new MaestroException(
                        PolicyErrors.PACK_NOT_FOUND, "no policy pack '" + id + "'"));
    ObjectNode o = summary(p);
    o.set("bundle", bundleJson());
    o.set("custom", p.custom());
    ObjectNode reasons = o.putObject("reasons");
    p.reasons().forEach(reasons::put);
    o.put("docs_markdown", PolicyDocs.page(p));
    return o;
  }

  /** {@code GET /api/policy-profiles}. */
  public ObjectNode profilesJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("bundle", bundleJson());
    ArrayNode items = o.putArray("items");
    for (ProfileInfo p : profiles) {
      ObjectNode i = items.addObject();
      i.put("id", p.id());
      i.put("kind", p.kind());
      i.put("version", p.version());
      i.put("title", p.title());
      i.put("description", p.description());
      i.put("edition", p.edition());
      p.packs().forEach(i.putArray("packs")::add);
      i.set("settings", p.settings());
      i.put("sha256", p.sha256());
    }
    return o;
  }

  private ObjectNode summary(PackMetadata p) {
    ObjectNode i = JsonNodeFactory.instance.objectNode();
    i.put("id", p.id());
    i.put("title", p.title());
    i.put("description", p.description());
    i.put("severity", p.severity());
    p.list("controls").forEach(i.putArray("controls")::add);
    p.list("profiles").forEach(i.putArray("profiles")::add);
    i.put("source", p.file());
    i.put("revision", active.revision());
    i.put("bundle_digest", active.digest());
    return i;
  }
}
