package io.maestro.console.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.Page;
import java.util.ArrayList;
import java.util.List;

/**
 * Control coverage: each control of the catalog with its status and the receipts behind it ({@code
 * GET /api/compliance/controls}), the tenant's open residency findings ({@code GET
 * /api/residency/audit}), and the compliance bundle and pack downloads ({@link
 * ComplianceDownloads}).
 */
public final class CompliancePages {

  /** One control as the page shows it. */
  public record Control(JsonNode control) {
    public String id() {
      return control.path("id").asText();
    }

    public String status() {
      return control.path("status").asText();
    }

    public List<JsonNode> evidence() {
      List<JsonNode> out = new ArrayList<>();
      control.path("evidence").forEach(out::add);
      return out;
    }

    public String frameworks() {
      List<String> out = new ArrayList<>();
      control.path("frameworks").forEach(f -> out.add(f.asText()));
      return String.join(", ", out);
    }

    /** The console page of an evidence receipt ({@code /api/receipts/{id}} in the API). */
    public static String receiptHref(JsonNode evidence) {
      String api = evidence.path("receipt").asText();
      return "/console/receipts/" + api.substring(api.lastIndexOf('/') + 1);
    }
  }

  /**
   * The page's model: the controls, counts by status, the residency findings if readable, and the
   * bundle form's default window (the last 30 days up to the last full minute: a window that has
   * ended, so downloading it again gives the same bytes).
   */
  public record Coverage(
      String catalogVersion,
      List<Control> controls,
      List<JsonNode> residency,
      boolean residencyShown,
      String bundleFrom,
      String bundleTo) {
    public long count(String status) {
      return controls.stream().filter(c -> c.status().equals(status)).count();
    }
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/compliance", Page.signedIn("compliance", this::coverage));
    r.get("/console/compliance/bundle", Page.signedIn("compliance", ComplianceDownloads::bundle));
    r.get("/console/compliance/pack", Page.signedIn("compliance", ComplianceDownloads::pack));
  }

  private void coverage(Page p) {
    JsonNode catalog = p.api().get("/api/compliance/controls");
    List<Control> controls = new ArrayList<>();
    catalog.path("controls").forEach(c -> controls.add(new Control(c)));
    List<JsonNode> residency = new ArrayList<>();
    boolean shown = true;
    try {
      p.api().get("/api/residency/audit").path("violations").forEach(residency::add);
    } catch (ApiException e) {
      // A role that may not read residency findings sees the controls only.
      shown = false;
    }
    java.time.Instant to =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    p.render(
        "compliance.jte",
        p.chrome("Control coverage"),
        "coverage",
        new Coverage(
            catalog.path("catalog_version").asText(),
            List.copyOf(controls),
            List.copyOf(residency),
            shown,
            to.minus(java.time.Duration.ofDays(30)).toString(),
            to.toString()));
  }
}
