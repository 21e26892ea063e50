package io.maestro.cli.residency;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro residency audit} and {@code maestro report isolation} through bin/maestro against
 * a real dev server, as a user runs them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResidencyCommandsIT {
  static final String EU_MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: eu-report, version: "1", region: EU}
      spec:
        tasks:
          - {id: greet, uses: core/log, with: {message: "hello from EU"}}
      """;

  @TempDir static Path dir;
  CliRunner.Running server;
  String root;

  @BeforeAll
  void start() throws Exception {
    server = CliRunner.server(dir, Map.of());
    root =
        CliRunner.run(
                dir,
                home(),
                "token",
                "issue",
                "--dev",
                "--url",
                server.url(),
                "--role",
                "conductor_admin")
            .expect(0)
            .stdout()
            .strip();
    platform("tenants", "create", "nordic", "--regions", "US,EU").expect(0);
    CliRunner.run(
            dir,
            home(),
            "login",
            "--dev",
            "--url",
            server.url(),
            "--tenant",
            "nordic",
            "--role",
            "tenant_admin")
        .expect(0);
  }

  /** A command as the platform administrator. */
  CliRunner.Result platform(String... args) throws Exception {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--url";
    all[args.length + 1] = server.url();
    all[args.length + 2] = "--token";
    all[args.length + 3] = root;
    return CliRunner.run(dir, home(), all);
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  Map<String, String> home() {
    Map<String, String> env = new HashMap<>();
    env.put("MAESTRO_HOME", dir.resolve("home").toString());
    return env;
  }

  CliRunner.Result maestro(String... args) throws Exception {
    return CliRunner.run(dir, home(), args);
  }

  @Test
  void residencyAudit_flagsARunOutsideTheTenantsRegions_once() throws Exception {
    CliRunner.Result clean = maestro("residency", "audit").expect(0);
    assertThat(clean.stdout()).contains("audited nordic").contains("0 violation(s) open");

    Path manifest = dir.resolve("eu.yaml");
    Files.writeString(manifest, EU_MANIFEST);
    maestro("run", manifest.toString(), "--follow").expect(0);
    // The run was allowed where it ran; then the tenant may no longer use EU, and new starts of
    // the workflow are refused by policy.
    platform("tenants", "regions", "set", "nordic", "US").expect(0);
    CliRunner.Result refused = maestro("run", manifest.toString());
    assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
    assertThat(refused.stderr()).contains("region \"EU\" is not allowed for this tenant");

    CliRunner.Result found = maestro("residency", "audit");
    assertThat(found.exitCode()).as(found.stdout() + found.stderr()).isEqualTo(1);
    assertThat(found.stdout())
        .contains("1 violation(s) open, 1 new")
        .contains("run")
        .contains("EU")
        .contains("eu-report@1");
    CliRunner.Result again = maestro("residency", "audit");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stdout()).contains("1 violation(s) open, 0 new");
    CliRunner.Result json = maestro("residency", "findings", "--output", "json").expect(0);
    assertThat(json.stdout()).contains("\"kind\" : \"run\"").contains("\"region\" : \"EU\"");
  }

  @Test
  void isolationReport_triesEveryGovernedRouteAndFindsNoLeak() throws Exception {
    Path report = dir.resolve("reports/isolation.md");
    CliRunner.Result r =
        maestro("report", "isolation", "--url", server.url(), "-o", report.toString());
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout()).startsWith("PASS: ").contains(" 0 leak(s)");
    String md = Files.readString(report);
    assertThat(md)
        .contains("# Tenant isolation report")
        .contains("- Result: **PASS**, 0 leak(s)")
        .contains("| leaks | 0 |")
        .contains("`POST /api/residency/audit`")
        .contains("`GET /api/runs/{id}/disclosure`")
        .contains("## Leaks\n\nNone.");
    int routes =
        Integer.parseInt(md.replaceAll("(?s).*\\| governed routes tried \\| (\\d+) \\|.*", "$1"));
    assertThat(routes).isGreaterThan(50);
    assertThat(md).containsPattern("\\| denials \\(403, a policy decision\\) \\| [1-9]\\d* \\|");

    CliRunner.Result bad =
        maestro(
            "report",
            "isolation",
            "--url",
            server.url(),
            "-o",
            report.toString(),
            "--victim-token",
            "x");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("give both --victim-token and --attacker-token");
  }
}
