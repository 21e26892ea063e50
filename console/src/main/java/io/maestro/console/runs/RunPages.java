package io.maestro.console.runs;

import io.helidon.webserver.http.HttpRouting;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.web.Chrome;
import io.maestro.console.web.Form;
import io.maestro.console.web.Page;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** The runs list, a run's detail, and its actions: cancel, approve or reject a waiting step. */
public final class RunPages {
  private final Clock clock;

  public RunPages(Clock clock) {
    this.clock = clock;
  }

  public void routing(HttpRouting.Builder r) {
    r.get("/console/runs", Page.signedIn("runs", this::list));
    r.get("/console/runs/{id}", Page.signedIn("runs", p -> detail(p, null)));
    r.get("/console/runs/{id}/logs/stream", Page.signedIn("runs", LiveLogs::stream));
    r.get("/console/runs/{id}/disclosure", Page.signedIn("runs", Disclosure::download));
    r.post("/console/runs/{id}/cancel", Page.signedIn("runs", this::cancel));
    r.post("/console/runs/{id}/steps/{step}/decide", Page.signedIn("runs", this::decide));
  }

  private void list(Page p) {
    p.prefetchBrand();
    RunList list =
        RunList.load(
            p.api(),
            p.query("status"),
            p.query("workflow"),
            p.query("since"),
            p.query("cursor"),
            clock.instant());
    p.render("runs.jte", p.chrome("Runs"), "list", list);
  }

  private void detail(Page p, Chrome.Flash flash) {
    p.prefetchBrand();
    RunDetail d = RunDetail.load(p.api(), p.param("id"));
    p.render("run.jte", p.chrome("Run " + p.param("id"), flash), "d", d);
  }

  private void cancel(Page p) {
    Optional<Form> form = p.form();
    if (form.isEmpty()) {
      return;
    }
    act(
        p,
        () ->
            p.api()
                .post(
                    "/api/runs/" + ApiClient.seg(p.param("id")) + "/cancel",
                    Map.of("reason", form.get().get("reason"))),
        "Run cancelled.");
  }

  private void decide(Page p) {
    Optional<Form> form = p.form();
    if (form.isEmpty()) {
      return;
    }
    String decision = "reject".equals(form.get().get("decision")) ? "reject" : "approve";
    String path =
        "/api/runs/"
            + ApiClient.seg(p.param("id"))
            + "/steps/"
            + ApiClient.seg(p.param("step"))
            + "/"
            + decision;
    act(
        p,
        () -> p.api().post(path, Map.of("comment", form.get().get("comment"))),
        "Step " + p.param("step") + (decision.equals("approve") ? " approved." : " rejected."));
  }

  /** Calls the API and shows the run again with the outcome; a refusal is shown, not thrown. */
  private void act(Page p, Runnable call, String done) {
    Chrome.Flash flash;
    try {
      call.run();
      flash = new Chrome.Flash(true, done, null);
    } catch (ApiException e) {
      if (e.notFound()) {
        throw e;
      }
      flash = Chrome.Flash.refused(e);
    }
    detail(p, flash);
  }
}
