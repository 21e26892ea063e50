package io.maestro.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.chaos.DrillHttp.Reply;
import io.maestro.server.chaos.StartLoad.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code db-restart} (ADR 0044): while clients keep starting runs of a two-step workflow, the
 * server's PostgreSQL restarts for real (the operator's command, run by the server). The drill
 * checks that the database did restart (its start time moved), that the server serves again without
 * being restarted itself, that every run it acknowledged (202) is there and finishes, and that no
 * step ran twice without saying so: each step completes once, and every redelivery of an attempt (a
 * worker cut off by the restart) is counted on the step and receipted ({@code step.redelivered}).
 * It measures the recovery time (RTO): from the moment the restart was asked for until starts are
 * answered normally again (202, no slower than before the fault) after the last refused or slow
 * one.
 */
final class DbRestartDrill implements ChaosDrill.Scenario {
  /**
   * A start slower than this (or than twice the slowest before the fault, if more) counts as the
   * service not being back yet.
   */
  static final Duration SLOW = Duration.ofSeconds(1);

  private static final Duration RUNS_FINISH = Duration.ofSeconds(120);

  private StartLoad load;
  private Instant injected;
  private JsonNode restart;

  @Override
  public void prepare(ChaosDrill.Context c) {
    Probe p = c.probe();
    p.publish();
    Probe.Started baseline = p.run();
    c.findings().check("baseline run", "202, SUCCEEDED", baseline.describe(), baseline.succeeded());
    load = new StartLoad(p, 3, Duration.ofMillis(50));
    load.start();
    // Long enough to see how fast starts are before the fault, and for the restart to meet runs in
    // every state.
    Probe.sleep(Duration.ofSeconds(2));
  }

  @Override
  public void during(ChaosDrill.Context c) {
    // From when the injection was asked for: the server starts the restart before it answers.
    injected = Instant.parse(c.get("inject_sent"));
    // The server reports the restart once the database answers again; while it is down this
    // request may itself fail, which is what the drill is about.
    Reply r =
        Probe.until(
            () -> c.http().call("GET", "/api/chaos/faults", c.admin(), null),
            x ->
                x.status() == 200
                    && x.body().path("last_db_restart").path("database_started_after").isTextual(),
            Duration.ofSeconds(Math.max(1, c.faultSeconds() - 1)));
    restart = r.body().path("last_db_restart");
    if (restart.isObject()) {
      c.findings().report().set("db_restart", restart);
    }
    c.findings()
        .check(
            "the restart command ended well",
            "exit 0",
            restart.isMissingNode()
                ? r.status() + " " + r.code() + ", no restart reported"
                : "exit "
                    + restart.path("exit_code").asInt()
                    + " after "
                    + restart.path("command_seconds").asDouble()
                    + " s",
            restart.path("finished").asBoolean() && restart.path("exit_code").asInt() == 0);
    c.findings()
        .check(
            "the database really restarted (pg_postmaster_start_time moved)",
            "later than " + restart.path("database_started_before").asText(),
            restart.path("database_started_after").asText("not answering"),
            restart.path("restarted").asBoolean());
  }

  @Override
  public void recover(ChaosDrill.Context c, Instant faultEnds) {
    load.stop();
    List<Attempt> all = load.attempts();
    // Every start answered once the restart was asked for (some were sent just before it).
    List<Attempt> after = all.stream().filter(a -> a.answered().isAfter(injected)).toList();
    // What "slow" means on this machine: twice the slowest start before the fault, at least 1 s.
    Duration slow =
        all.stream()
            .filter(a -> a.answered().isBefore(injected))
            .map(a -> a.took().multipliedBy(2))
            .max(Duration::compareTo)
            .filter(d -> d.compareTo(SLOW) > 0)
            .orElse(SLOW);
    List<Attempt> bad =
        after.stream().filter(a -> !a.acknowledged() || a.took().compareTo(slow) > 0).toList();
    Instant lastBad = bad.stream().map(Attempt::sent).max(Instant::compareTo).orElse(injected);
    Instant back =
        after.stream()
            .filter(a -> a.acknowledged() && a.took().compareTo(slow) <= 0)
            .filter(a -> bad.isEmpty() || a.sent().isAfter(lastBad))
            .map(Attempt::answered)
            .min(Instant::compareTo)
            .orElse(null);
    c.findings().report().put("slow_threshold_seconds", slow.toMillis() / 1000.0);
    // The starts around the restart, so that the RTO can be read off them.
    var timeline = c.findings().report().putArray("starts_after_restart");
    after.stream()
        .limit(300)
        .forEach(
            a ->
                timeline
                    .addObject()
                    .put("sent_s", ChaosDrill.seconds(injected, a.sent()))
                    .put("took_s", a.took().toMillis() / 1000.0)
                    .put("status", a.status())
                    .put("code", a.code()));
    Map<String, Integer> refusals = new TreeMap<>();
    bad.stream()
        .filter(a -> !a.acknowledged())
        .forEach(a -> refusals.merge(a.status() + " " + a.code(), 1, Integer::sum));
    long acknowledged = all.stream().filter(Attempt::acknowledged).count();
    long ackAfter = after.stream().filter(Attempt::acknowledged).count();
    c.findings()
        .check(
            "runs started under load before and after the restart",
            "acknowledged starts on both sides",
            acknowledged
                + " acknowledged ("
                + ackAfter
                + " after the restart began), "
                + refusals.values().stream().mapToInt(Integer::intValue).sum()
                + " refused",
            acknowledged > ackAfter && back != null);
    c.findings()
        .check(
            "refused starts carry a stable, retryable code",
            "503 with a problem code",
            refusals.isEmpty() ? "none refused" : refusals.toString(),
            refusals.keySet().stream().allMatch(k -> k.startsWith("503 ") && k.length() > 4));
    c.findings().measure("rto_seconds", back == null ? -1 : ChaosDrill.seconds(injected, back));
    c.findings()
        .measure(
            "longest_start_seconds",
            after.stream().mapToLong(a -> a.took().toMillis()).max().orElse(0) / 1000.0);
    c.findings().report().put("starts", all.size());
    c.findings().report().put("starts_over_tenant_quota", load.quotaRefusals());
    c.findings().report().put("acknowledged_starts", acknowledged);
    c.findings().report().put("slow_starts", bad.stream().filter(Attempt::acknowledged).count());
    var refused = c.findings().report().putObject("refused_starts");
    refusals.forEach(refused::put);
    verifyRuns(c, all.stream().filter(Attempt::acknowledged).map(Attempt::runId).toList());
    // The load may have used up the tenant's steps for this minute: that refusal is the tenant's
    // quota, not the restart, so the new run waits for the quota's window to move on.
    Probe.Started fresh = c.probe().run();
    long quotaWindowEnd = System.nanoTime() + Duration.ofSeconds(75).toNanos();
    while (fresh.overQuota() && System.nanoTime() < quotaWindowEnd) {
      Probe.sleep(Duration.ofSeconds(2));
      fresh = c.probe().run();
    }
    c.findings()
        .check(
            "a new run starts and finishes", "202, SUCCEEDED", fresh.describe(), fresh.succeeded());
  }

  @Override
  public void release(ChaosDrill.Context c) {
    if (load != null) {
      load.stop();
    }
  }

  /** Every acknowledged run is there and finishes, and each of its steps completed once. */
  private void verifyRuns(ChaosDrill.Context c, List<String> runs) {
    Map<String, String> status = new HashMap<>();
    long end = System.nanoTime() + RUNS_FINISH.toNanos();
    List<String> pending = new ArrayList<>(runs);
    while (!pending.isEmpty() && System.nanoTime() < end) {
      List<String> still = new ArrayList<>();
      for (String run : pending) {
        Reply r = c.http().call("GET", "/api/runs/" + run, c.probe().token(), null);
        String s = r.status() == 200 ? r.body().path("status").asText() : "HTTP " + r.status();
        status.put(run, s);
        if (!(s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELLED"))
            && !s.equals("HTTP 404")) {
          still.add(run);
        }
      }
      pending = still;
      if (!pending.isEmpty()) {
        Probe.sleep(Duration.ofMillis(500));
      }
    }
    c.findings().measure("all_runs_finished_seconds", ChaosDrill.seconds(injected, Instant.now()));
    List<String> lost = runs.stream().filter(r -> status.get(r).startsWith("HTTP")).toList();
    c.findings()
        .check(
            "no acknowledged run lost",
            runs.size() + " of " + runs.size() + " found",
            (runs.size() - lost.size()) + " of " + runs.size() + " found" + sample(lost),
            lost.isEmpty() && !runs.isEmpty());
    List<String> unfinished =
        runs.stream().filter(r -> !"SUCCEEDED".equals(status.get(r))).toList();
    c.findings()
        .check(
            "every acknowledged run succeeded",
            "all SUCCEEDED",
            unfinished.isEmpty()
                ? "all SUCCEEDED"
                : unfinished.size() + " not: " + sample(unfinished, status),
            unfinished.isEmpty());
    int redelivered = 0;
    List<String> silent = new ArrayList<>();
    for (String run : runs) {
      Reply view = c.http().call("GET", "/api/runs/" + run, c.probe().token(), null);
      Reply receipts =
          c.http().call("GET", "/api/receipts?limit=500&run=" + run, c.probe().token(), null);
      Map<String, Integer> completed = new HashMap<>();
      Map<String, Integer> redeliveries = new HashMap<>();
      for (JsonNode rc : receipts.body().path("receipts")) {
        String step = rc.path("subject").path("id").asText();
        switch (rc.path("type").asText()) {
          case "step.completed" -> completed.merge(step, 1, Integer::sum);
          case "step.redelivered" -> redeliveries.merge(step, 1, Integer::sum);
          default -> {}
        }
      }
      for (JsonNode step : view.body().path("steps")) {
        String id = run + "/" + step.path("id").asText();
        int dup = step.path("duplicates").asInt();
        redelivered += dup;
        if (completed.getOrDefault(id, 0) != 1 || redeliveries.getOrDefault(id, 0) != dup) {
          silent.add(
              id
                  + " (completed "
                  + completed.getOrDefault(id, 0)
                  + "x, duplicates "
                  + dup
                  + ", step.redelivered "
                  + redeliveries.getOrDefault(id, 0)
                  + ")");
        }
      }
    }
    c.findings().report().put("redelivered_steps", redelivered);
    c.findings()
        .check(
            "no step duplicated silently (each completed once; every redelivery counted and"
                + " receipted)",
            "0 steps otherwise",
            silent.size()
                + " steps otherwise"
                + sample(silent)
                + "; "
                + redelivered
                + " redeliveries recorded",
            silent.isEmpty());
  }

  private static String sample(List<String> items) {
    return items.isEmpty()
        ? ""
        : ": " + String.join(", ", items.subList(0, Math.min(3, items.size())));
  }

  private static String sample(List<String> runs, Map<String, String> status) {
    StringBuilder sb = new StringBuilder();
    runs.stream()
        .limit(3)
        .forEach(
            r -> sb.append(sb.isEmpty() ? "" : ", ").append(r).append(' ').append(status.get(r)));
    return sb.toString();
  }
}
