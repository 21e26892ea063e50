package io.maestro.console.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.web.Page;
import java.util.ArrayList;
import java.util.List;

/** Workflows: the tenant's workflows, one workflow's versions, and a version's manifest. */
public final class WorkflowPages {

  public void routing(HttpRouting.Builder r) {
    r.get("/console/workflows", Page.signedIn("workflows", this::list));
    r.get("/console/workflows/{name}", Page.signedIn("workflows", this::workflow));
    r.get(
        "/console/workflows/{name}/versions/{version}", Page.signedIn("workflows", this::version));
  }

  private void list(Page p) {
    p.render("workflows.jte", p.chrome("Workflows"), "items", items(p.api().get("/api/workflows")));
  }

  private void workflow(Page p) {
    JsonNode w = p.api().get("/api/workflows/" + ApiClient.seg(p.param("name")));
    p.render("workflow.jte", p.chrome("Workflow " + p.param("name")), "w", w);
  }

  private void version(Page p) {
    JsonNode v =
        p.api()
            .get(
                "/api/workflows/"
                    + ApiClient.seg(p.param("name"))
                    + "/versions/"
                    + ApiClient.seg(p.param("version")));
    p.render("workflow_version.jte", p.chrome("Workflow " + p.param("name")), "v", v);
  }

  static List<JsonNode> items(JsonNode page) {
    List<JsonNode> out = new ArrayList<>();
    page.path("items").forEach(out::add);
    return out;
  }
}
