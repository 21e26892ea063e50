package io.maestro.console.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.Page;
import io.maestro.lifecycle.manifest.PurgeManifest;
import io.maestro.provenance.keys.TrustedKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Data lifecycle: the tenant's purge requests with their approvals, the countdown of scheduled ones
 * and, for executed ones, the signed manifest verified here against the server's published keys
 * ({@code /.well-known/maestro/keys}) exactly as {@code maestro purge manifest verify} does; and
 * the retention rule in force for each data class.
 */
public final class LifecyclePages {

  /** A purge as the page shows it, with its manifest's verification when it has one. */
  public record PurgeRow(JsonNode purge, Optional<String> verified, Optional<String> failed) {
    public String approvals() {
      return purge.path("approvals").size() + "/" + purge.path("approvals_required").asInt();
    }

    public List<String> approvers() {
      List<String> out = new ArrayList<>();
      purge.path("approvals").forEach(a -> out.add(a.path("approver").asText()));
      return out;
    }

    public String countdown() {
      return purge.has("runs_in_seconds") ? purge.path("runs_in_seconds").asLong() + " s" : "";
    }
  }

  /** The page's model. */
  public record Model(List<PurgeRow> purges, List<JsonNode> rules, boolean rulesShown) {}

  public void routing(HttpRouting.Builder r) {
    r.get("/console/lifecycle", Page.signedIn("lifecycle", this::lifecycle));
  }

  private void lifecycle(Page p) {
    List<PurgeRow> purges = new ArrayList<>();
    Optional<TrustedKeys> keys = Optional.empty();
    for (JsonNode purge : p.api().get("/api/purges").path("items")) {
      if (!purge.hasNonNull("manifest_digest")) {
        purges.add(new PurgeRow(purge, Optional.empty(), Optional.empty()));
        continue;
      }
      try {
        if (keys.isEmpty()) {
          keys = Optional.of(TrustedKeys.fromJwks(p.api().get("/.well-known/maestro/keys")));
        }
        JsonNode envelope = p.api().get("/api/purges/" + purge.path("id").asText() + "/manifest");
        PurgeManifest.Verified v = PurgeManifest.verify(envelope, keys.get());
        purges.add(
            new PurgeRow(
                purge,
                Optional.of(
                    v.manifest().path("item_count").asLong()
                        + " items, Merkle root "
                        + v.merkleRoot()
                        + ", signed by "
                        + v.key().keyId()),
                Optional.empty()));
      } catch (IllegalArgumentException | ApiException e) {
        purges.add(new PurgeRow(purge, Optional.empty(), Optional.of(e.getMessage())));
      }
    }
    List<JsonNode> rules = new ArrayList<>();
    boolean shown = true;
    try {
      p.api().get("/api/retention/rules").path("items").forEach(rules::add);
    } catch (ApiException e) {
      // A role that may not read retention rules sees the purges only.
      shown = false;
    }
    p.render(
        "lifecycle.jte",
        p.chrome("Data lifecycle"),
        "model",
        new Model(List.copyOf(purges), List.copyOf(rules), shown));
  }
}
