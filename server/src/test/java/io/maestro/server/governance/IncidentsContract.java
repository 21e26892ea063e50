package io.maestro.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.Controls;
import io.maestro.governance.Incident;
import io.maestro.governance.Incidents;
import io.maestro.governance.Throttle;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.ProvenanceSettings;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incidents and their timelines on each database, with a receipt per step, tenant by tenant. */
abstract class IncidentsContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");

  abstract Backend backend();

  @TempDir Path dir;
  TestDatabase tdb;
  Provenance provenance;
  Incidents incidents;
  Controls controls;

  @BeforeEach
  void open() {
    tdb = backend().open();
    SecureRandom random = new SecureRandom();
    provenance =
        Provenance.open(
            tdb.database(),
            ProvenanceSettings.defaults(),
            new FileKeyStore(dir.resolve("keys")),
            Clock.systemUTC(),
            random,
            random);
    controls =
        new Controls(
            tdb.database(),
            provenance.receipts(),
            Clock.systemUTC(),
            RandomGenerator.of("L64X128MixRandom"));
    incidents = controls.incidents();
  }

  @AfterEach
  void close() {
    provenance.close();
    tdb.close();
  }

  static ObjectNode numbers(int failed) {
    return Json.MAPPER.createObjectNode().put("failed", failed);
  }

  static Decision allowed(String id) {
    return new Decision(
        id,
        true,
        List.of(),
        List.of(),
        "canon",
        "sha256:00",
        "maestro/authz/decision",
        java.time.Instant.now());
  }

  static final Actor CONTROLLER =
      new Actor("system:rollback-controller", Optional.of(ACME), List.of(), Map.of(), "system");

  @Test
  void throttle_appliedSeenInFactsAndLiftedOnce_tenantByTenant() {
    Throttle t =
        controls
            .throttles()
            .apply(CONTROLLER, allowed("d-1"), ACME, 2, "incident inc_1", Optional.of("inc_1"));
    assertThat(controls.throttles().active(ACME)).extracting(Throttle::id).containsExactly(t.id());
    assertThat(controls.throttles().active(GLOBEX)).isEmpty();
    assertThat(controls.throttles().get(GLOBEX, t.id())).isEmpty();
    assertThat(controls.facts(Optional.of(ACME), Optional.empty()).path("throttles").toString())
        .isEqualTo("[{\"id\":\"" + t.id() + "\",\"maxConcurrentRuns\":2}]");
    assertThat(controls.facts(Optional.of(GLOBEX), Optional.empty()).path("throttles").size())
        .isZero();
    assertThatThrownBy(
            () -> controls.throttles().release(CONTROLLER, allowed("d-2"), GLOBEX, t.id()))
        .isInstanceOfSatisfying(
            MaestroException.class,
            e -> assertThat(e.code().code()).isEqualTo("throttle_not_found"));

    Throttle lifted = controls.throttles().release(CONTROLLER, allowed("d-3"), ACME, t.id());
    assertThat(lifted.active()).isFalse();
    assertThat(lifted.releasedBy()).contains("system:rollback-controller");
    assertThat(lifted.incident()).contains("inc_1");
    assertThat(controls.facts(Optional.of(ACME), Optional.empty()).path("throttles").size())
        .isZero();
    assertThat(controls.throttles().list(ACME)).extracting(Throttle::active).containsExactly(false);
    assertThatThrownBy(() -> controls.throttles().release(CONTROLLER, allowed("d-4"), ACME, t.id()))
        .isInstanceOfSatisfying(
            MaestroException.class,
            e -> assertThat(e.code().code()).isEqualTo("throttle_not_found"));
    List<String> types =
        tdb
            .database()
            .inTransaction(
                io.maestro.store.TenantScope.of(ACME),
                tx ->
                    new io.maestro.provenance.ReceiptLog("t")
                        .list(
                            tx,
                            io.maestro.provenance.LogId.tenant(ACME),
                            io.maestro.provenance.ReceiptLog.Query.all(50))
                        .receipts())
            .stream()
            .map(r -> r.type().name())
            .toList();
    assertThat(types).contains("throttle.applied", "throttle.released");
  }

  @Test
  void throttle_belowOneRunIsRefusedAndNothingIsStored() {
    assertThatThrownBy(
            () ->
                controls
                    .throttles()
                    .apply(CONTROLLER, allowed("d-1"), ACME, 0, "", Optional.empty()))
        .isInstanceOfSatisfying(
            MaestroException.class, e -> assertThat(e.code().code()).isEqualTo("throttle_invalid"));
    assertThat(controls.throttles().list(ACME)).isEmpty();
  }

  @Test
  void breach_opensOneIncidentPerVersionAndLaterBreachesJoinIt() {
    Incident first = incidents.breach(CONTROLLER, ACME, "shop", "2", numbers(3));
    Incident second = incidents.breach(CONTROLLER, ACME, "shop", "2", numbers(5));
    Incident other = incidents.breach(CONTROLLER, ACME, "shop", "3", numbers(1));

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(other.id()).isNotEqualTo(first.id());
    assertThat(second.timeline())
        .extracting(Incident.Event::kind)
        .containsExactly(Incidents.BREACH_DETECTED, Incidents.BREACH_DETECTED);
    assertThat(second.timeline().get(1).detail().path("failed").asInt()).isEqualTo(5);
    assertThat(second.timeline()).allSatisfy(e -> assertThat(e.receiptId()).isNotBlank());
    assertThat(incidents.list(ACME, Optional.of(Incident.OPEN), 10)).hasSize(2);
    assertThat(incidents.openEverywhere()).hasSize(2);
  }

  @Test
  void simultaneousBreachesSeenByTwoServers_openOneIncident() throws Exception {
    Incidents otherServer =
        new Controls(
                tdb.database(),
                provenance.receipts(),
                Clock.systemUTC(),
                RandomGenerator.of("L64X128MixRandom"))
            .incidents();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        String version = "v" + round;
        CyclicBarrier together = new CyclicBarrier(2);
        Future<Incident> a =
            pool.submit(
                () -> {
                  together.await();
                  return incidents.breach(CONTROLLER, ACME, "shop", version, numbers(1));
                });
        Future<Incident> b =
            pool.submit(
                () -> {
                  together.await();
                  return otherServer.breach(CONTROLLER, ACME, "shop", version, numbers(2));
                });
        assertThat(b.get().id()).isEqualTo(a.get().id());
        assertThat(incidents.openOn(ACME, "shop", version).orElseThrow().timeline())
            .extracting(Incident.Event::kind)
            .containsExactly(Incidents.BREACH_DETECTED, Incidents.BREACH_DETECTED);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(incidents.list(ACME, Optional.of(Incident.OPEN), 100)).hasSize(5);
  }

  @Test
  void aClosedIncident_leavesRoomForTheNextOneOnItsVersion() {
    Incident first = incidents.breach(CONTROLLER, ACME, "shop", "2", numbers(3));
    Actor ops = new Actor("ops@acme", Optional.of(ACME), List.of("operator"), Map.of(), "dev");
    incidents.close(ops, allowed("dec_9"), ACME, first.id(), Optional.of("fixed"));

    Incident next = incidents.breach(CONTROLLER, ACME, "shop", "2", numbers(4));

    assertThat(next.id()).isNotEqualTo(first.id());
    assertThat(next.status()).isEqualTo(Incident.OPEN);
    assertThat(incidents.get(ACME, first.id()).orElseThrow().status()).isEqualTo(Incident.CLOSED);
  }

  @Test
  void close_isTheLastStepAndHappensOnce() {
    Incident i = incidents.breach(CONTROLLER, ACME, "shop", "2", numbers(3));
    incidents.note(
        CONTROLLER, Optional.empty(), ACME, i.id(), Incidents.MITIGATION_APPLIED, numbers(0));
    Actor ops = new Actor("ops@acme", Optional.of(ACME), List.of("operator"), Map.of(), "dev");
    Decision d = allowed("dec_1");

    Incident closed = incidents.close(ops, d, ACME, i.id(), Optional.of("fixed"));

    assertThat(closed.status()).isEqualTo(Incident.CLOSED);
    assertThat(closed.closedBy()).contains("ops@acme");
    assertThat(closed.timeline().getLast().kind()).isEqualTo(Incidents.CLOSED);
    assertThat(closed.timeline().getLast().detail().path("comment").asText()).isEqualTo("fixed");
    assertThatThrownBy(() -> incidents.close(ops, d, ACME, i.id(), Optional.empty()))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("already closed");
    assertThat(incidents.list(ACME, Optional.of(Incident.OPEN), 10)).isEmpty();
    assertThat(incidents.list(ACME, Optional.of(Incident.CLOSED), 10)).hasSize(1);
  }

  @Test
  void anotherTenant_neitherSeesNorClosesIt() {
    Incident i = incidents.breach(CONTROLLER, ACME, "shop", "2", numbers(3));
    assertThat(incidents.get(GLOBEX, i.id())).isEmpty();
    assertThat(incidents.list(GLOBEX, Optional.empty(), 10)).isEmpty();
    Actor eve =
        new Actor("eve@globex", Optional.of(GLOBEX), List.of("tenant_admin"), Map.of(), "dev");
    assertThatThrownBy(
            () -> incidents.close(eve, allowed("dec_2"), GLOBEX, i.id(), Optional.empty()))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("no incident");
  }
}
