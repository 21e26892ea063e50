package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The day-2 commands — runs, workflows, receipts, keys, tenants — as an operator uses them through
 * bin/maestro against one real dev-mode server, each identity with its own {@code MAESTRO_HOME}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DayTwoCommandsIT {
  static final Pattern RUN_ID = Pattern.compile("run (run_[0-9a-f]+) started");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  CliRunner.Running server;
  String url;

  @BeforeAll
  void start() throws Exception {
    server = CliRunner.server(dir, Map.of());
    url = server.url();
    login("admin", "--tenant", "acme", "--role", "tenant_admin", "--create");
    login("reviewer1", "--tenant", "acme", "--role", "workflow_reviewer", "--subject", "r1@acme");
    login("reviewer2", "--tenant", "acme", "--role", "workflow_reviewer", "--subject", "r2@acme");
    login("platform", "--role", "conductor_admin");
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  Map<String, String> as(String who) {
    Map<String, String> env = new HashMap<>();
    env.put("MAESTRO_HOME", dir.resolve("homes").resolve(who).toString());
    return env;
  }

  void login(String who, String... args) throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "login";
    all[1] = "--dev";
    all[2] = "--url";
    all[3] = url;
    System.arraycopy(args, 0, all, 4, args.length);
    CliRunner.run(dir, as(who), all).expect(0);
  }

  /** Runs {@code maestro ARGS} as {@code who}; the server URL comes from the saved login. */
  CliRunner.Result maestro(String who, String... args) throws Exception {
    return CliRunner.run(dir, as(who), args);
  }

  String startApprovalRun() throws Exception {
    CliRunner.Result started =
        maestro("admin", "run", CliRunner.root().resolve("examples/approval.yaml").toString())
            .expect(0);
    Matcher m = RUN_ID.matcher(started.stdout());
    assertThat(m.find()).as(started.stdout()).isTrue();
    return m.group(1);
  }

  @Test
  void runs_listShowLogsAndCancel() throws Exception {
    String run = startApprovalRun();

    CliRunner.Result list =
        maestro("admin", "runs", "list", "--workflow", "gated-deploy").expect(0);
    assertThat(list.stdout()).startsWith("ID").contains(run).contains("gated-deploy@1");
    JsonNode json =
        JSON.readTree(
            maestro("admin", "runs", "list", "--since", "1h", "--output", "json")
                .expect(0)
                .stdout());
    assertThat(json.findValuesAsText("id")).contains(run);
    assertThat(maestro("admin", "runs", "list", "--status", "SUCCEEDED").expect(0).stdout())
        .doesNotContain(run);
    assertThat(maestro("admin", "runs", "list", "--since", "yesterday").expect(2).stderr())
        .contains("--since takes a duration");

    assertThat(maestro("admin", "runs", "show", run).expect(0).stdout())
        .contains("gated-deploy@1")
        .contains("plan");
    assertThat(maestro("admin", "runs", "show", run, "--output", "yaml").expect(0).stdout())
        .contains("workflow: \"gated-deploy\"");
    assertThat(maestro("admin", "runs", "logs", run).expect(0).stdout())
        .contains("planning a deploy of checkout");

    assertThat(maestro("admin", "runs", "cancel", run, "--reason", "not today").expect(0).stdout())
        .contains("run " + run + " CANCELLED");
    assertThat(maestro("admin", "runs", "cancel", run).expect(1).stderr())
        .startsWith("maestro: cannot cancel run " + run + ":");
    // A finished run's log ends, so --follow returns.
    assertThat(maestro("admin", "runs", "logs", run, "--follow").expect(0).stdout())
        .contains("CANCELLED");
  }

  @Test
  void runs_approveAndReject_byReviewersOtherThanTheStarter() throws Exception {
    String run = startApprovalRun();
    CliRunner.Result own = maestro("admin", "runs", "approve", run, "approve").expect(1);
    assertThat(own.stderr().strip().lines().findFirst().orElseThrow())
        .startsWith("maestro: cannot approve step approve of run " + run);

    // The approval step becomes waiting shortly after the run starts.
    CliRunner.Result first = null;
    for (int i = 0; i < 50; i++) {
      first = maestro("reviewer1", "runs", "approve", run, "approve", "--comment", "fine");
      if (first.exitCode() == 0 || !first.stderr().contains("step_not_awaiting_approval")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(first.expect(0).stdout()).contains("step approve of run " + run).contains("1 of 2");
    assertThat(
            maestro("reviewer2", "runs", "reject", run, "approve", "--comment", "no")
                .expect(0)
                .stdout())
        .contains("step approve of run " + run);
    String status = "";
    for (int i = 0; i < 50 && !status.contains("FAILED"); i++) {
      status = maestro("admin", "runs", "show", run).expect(0).stdout();
      Thread.sleep(200);
    }
    assertThat(status).contains("FAILED");
  }

  @Test
  void workflows_publishListShow() throws Exception {
    Path hello = CliRunner.root().resolve("examples/hello.yaml");
    assertThat(maestro("admin", "workflows", "publish", hello.toString()).expect(0).stdout())
        .contains("hello@1 is published (sha256:");
    assertThat(maestro("admin", "workflows", "list").expect(0).stdout())
        .startsWith("NAME")
        .contains("hello");
    assertThat(maestro("admin", "workflows", "show", "hello").expect(0).stdout())
        .contains("active version 1")
        .contains("PUBLISHED");
    assertThat(maestro("admin", "workflows", "show", "hello@1").expect(0).stdout())
        .contains("hello@1  PUBLISHED")
        .contains("core/wait");
    assertThat(maestro("admin", "workflows", "show", "nope").expect(1).stderr())
        .contains("workflow_not_found");
    assertThat(maestro("admin", "workflows", "publish", "exmples/hello.yaml").expect(1).stderr())
        .isEqualToIgnoringNewLines("maestro: cannot read exmples/hello.yaml: no such file");
  }

  @Test
  void receipts_listShowExport_andKeysExport_verifyOffline() throws Exception {
    CliRunner.Result list = maestro("admin", "receipts", "list").expect(0);
    assertThat(list.stdout()).startsWith("SEQ").contains("tenant.provisioned");
    JsonNode page =
        JSON.readTree(maestro("admin", "receipts", "list", "--output", "json").expect(0).stdout());
    String id = page.path("receipts").get(0).path("id").asText();
    assertThat(maestro("admin", "receipts", "show", id).expect(0).stdout())
        .contains(id)
        .contains("digest sha256:");
    CliRunner.Result proof = maestro("admin", "receipts", "show", id, "--proof").expect(0);
    assertThat(proof.stdout()).containsAnyOf("proof:", "proof: none yet");

    Path export = dir.resolve("acme.ndjson");
    Path keys = dir.resolve("keys.json");
    maestro("admin", "receipts", "export", "-o", export.toString()).expect(0);
    maestro("admin", "keys", "export", "-o", keys.toString()).expect(0);
    assertThat(Files.readString(export)).contains("\"format\":\"maestro.receipts.v1\"");
    assertThat(Files.readString(keys)).contains("\"keys\"");
    assertThat(
            maestro("admin", "verify", export.toString(), "--keys", keys.toString())
                .expect(0)
                .stdout())
        .startsWith("OK export of maestro.local/tenant/acme");
  }

  @Test
  void tenants_platformAdminManagesTenants_tenantAdminMayNotCreate() throws Exception {
    assertThat(
            maestro("platform", "tenants", "create", "globex", "--name", "Globex Corp")
                .expect(0)
                .stdout())
        .contains("created globex  Globex Corp  active");
    assertThat(maestro("platform", "tenants", "list").expect(0).stdout())
        .contains("acme")
        .contains("globex");
    maestro("platform", "tenants", "members", "set", "globex", "ada@globex", "operator").expect(0);
    assertThat(maestro("platform", "tenants", "members", "list", "globex").expect(0).stdout())
        .contains("ada@globex  operator");
    assertThat(
            maestro("platform", "tenants", "profile", "set", "globex", "regulated")
                .expect(0)
                .stdout())
        .contains("globex now uses profile regulated");
    maestro("platform", "tenants", "quotas", "set", "globex", "--max-concurrent-runs", "7")
        .expect(0);
    JsonNode shown =
        JSON.readTree(
            maestro("platform", "tenants", "show", "globex", "--output", "json")
                .expect(0)
                .stdout());
    assertThat(shown.path("quotas").path("max_concurrent_runs").asInt()).isEqualTo(7);
    assertThat(shown.path("profile").asText()).isEqualTo("regulated");
    maestro("platform", "tenants", "members", "remove", "globex", "ada@globex").expect(0);
    assertThat(maestro("platform", "tenants", "members", "list", "globex").expect(0).stdout())
        .doesNotContain("ada@globex");
    assertThat(maestro("platform", "tenants", "quotas", "set", "globex").expect(2).stderr())
        .contains("name at least one quota");

    CliRunner.Result denied = maestro("admin", "tenants", "create", "initech").expect(1);
    assertThat(denied.stderr()).contains("cannot create tenant initech").contains("policy_denied");
  }

  @Test
  void clientCommands_withoutLogin_sayHowToLogIn() throws Exception {
    for (String[] args :
        new String[][] {
          {"runs", "list", "--url", url},
          {"workflows", "list", "--url", url},
          {"receipts", "export", "--url", url},
          {"tenants", "list", "--url", url}
        }) {
      CliRunner.Result r = maestro("nobody", args).expect(1);
      assertThat(r.stderr().strip()).isEqualTo("maestro: not logged in — run maestro login");
    }
  }

  @Test
  void typos_getSuggestions_andCompletionScriptsCoverTheCommands() throws Exception {
    CliRunner.Result command = maestro("admin", "stauts").expect(2);
    assertThat(command.stderr().lines().findFirst().orElseThrow())
        .isEqualTo("maestro: unknown command 'stauts'; did you mean `status`?");
    CliRunner.Result option = maestro("admin", "runs", "logs", "run_x", "--folow").expect(2);
    assertThat(option.stderr().lines().findFirst().orElseThrow())
        .isEqualTo("maestro: unknown option '--folow'; did you mean `--follow`?");

    String bash = maestro("admin", "completion", "bash").expect(0).stdout();
    assertThat(bash).contains("complete -F").contains("runs").contains("receipts");
    assertThat(maestro("admin", "completion", "zsh").expect(0).stdout()).contains("bashcompinit");
    assertThat(maestro("admin", "completion", "fish").expect(2).stderr()).contains("bash and zsh");
    assertThat(maestro("admin", "runs", "--help").expect(0).stdout())
        .contains("Examples:")
        .contains("maestro runs list");
  }
}
