package io.maestro.server.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.Hash;
import io.maestro.provenance.InclusionProof;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.ProvenanceErrors;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptType;
import io.maestro.server.auth.Governed;
import io.maestro.server.health.ReadinessCheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.QueryParams;
import io.maestro.server.http.Route;
import io.maestro.store.Database;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Receipts, checkpoints and proofs over HTTP, and the public keys at {@code
 * /.well-known/maestro/keys} (public, so anyone can verify offline).
 *
 * <p>Every other route is governed: the tenant whose log is read is the one the {@link
 * io.maestro.server.auth.PolicyGate} established ({@link Governed#requireTenant()}) — a tenant
 * actor's own tenant, or the tenant a platform actor targets with the {@code tenant} query
 * parameter (or the {@code X-Maestro-Tenant} header) and policy allowed. The handlers never read
 * the tenant from the request themselves, and every read runs in the scope the gate handed out.
 */
public final class ProvenanceService implements ApiService, AutoCloseable {
  private final Database db;
  private final Provenance provenance;

  public ProvenanceService(Database db, Provenance provenance) {
    this.db = db;
    this.provenance = provenance;
  }

  public Provenance provenance() {
    return provenance;
  }

  /**
   * {@code /readyz}: while no signing key is usable it says why, as a non-critical check —
   * checkpoints pause, but ordinary actions go on (their receipts are covered by the next
   * checkpoint once signing resumes), so the server stays in the load balancer as {@code degraded}.
   */
  public ReadinessCheck signerCheck() {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "signer";
      }

      @Override
      public Optional<String> problem() {
        var s = provenance.keys().status();
        return s.available()
            ? Optional.empty()
            : Optional.of("signer_unavailable: checkpoints are paused (" + s.problem() + ")");
      }

      @Override
      public boolean critical() {
        return false;
      }
    };
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/receipts", "receipt.list", this::list),
        Route.get("/api/receipts/export", "receipt.export", this::export),
        Route.get("/api/receipts/{id}", "receipt.read", this::get),
        Route.get("/api/checkpoints/latest", "checkpoint.read", this::latest),
        Route.get("/api/checkpoints/consistency", "checkpoint.read", this::consistency),
        Route.get("/.well-known/maestro/keys", "public", this::keys));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    Optional<String> run = QueryParams.parsed(req, "run", ProvenanceService::runId);
    Optional<ReceiptType> type = QueryParams.parsed(req, "type", ReceiptType::of);
    Optional<Instant> since = QueryParams.parsed(req, "since", Instant::parse);
    Optional<Hash> digest = QueryParams.parsed(req, "digest", Hash::parse);
    Optional<String> actor = QueryParams.parsed(req, "actor", ProvenanceService::actor);
    Optional<String> reason = QueryParams.parsed(req, "deny_reason", ProvenanceService::reasonCode);
    long after = QueryParams.longValue(req, "after", 0, 0, Long.MAX_VALUE);
    int limit = QueryParams.intValue(req, "limit", 100, 1, ReceiptLog.MAX_PAGE);
    boolean proofs = QueryParams.bool(req, "proofs", false);
    LogId log = LogId.tenant(tenant);
    // Read-your-writes: receipts committed before this request are placed in the log first.
    provenance.sequencer().drain(log);
    ObjectNode body =
        db.inTransaction(
            governed.scope(),
            tx -> {
              ReceiptLog.Page page =
                  provenance
                      .log()
                      .list(
                          tx,
                          log,
                          new ReceiptLog.Query(
                              run, type, since, digest, actor, reason, after, limit));
              ObjectNode o = HttpJson.MAPPER.createObjectNode();
              var arr = o.putArray("receipts");
              page.receipts().forEach(r -> arr.add(ReceiptJson.toJson(r, true)));
              if (page.nextAfterSeq().isPresent()) {
                o.put("next_after", page.nextAfterSeq().get());
              } else {
                o.putNull("next_after");
              }
              if (proofs) {
                addProofs(tx, log, page.receipts(), o);
              }
              return o;
            });
    HttpJson.ok(res, body);
  }

  /**
   * Adds the latest checkpoint and, for each receipt of the page in the same order, its digest and
   * its inclusion proof under that checkpoint ({@code null} while no checkpoint covers it): one
   * request instead of one {@code GET /api/receipts/{id}} per receipt.
   */
  private void addProofs(
      io.maestro.store.Tx tx, LogId log, List<Receipt> receipts, ObjectNode body) {
    Optional<Checkpoint> cp = provenance.log().latestCheckpoint(tx, log);
    if (cp.isPresent()) {
      body.set("checkpoint", checkpointJson(cp.get()));
    } else {
      body.putNull("checkpoint");
    }
    var arr = body.putArray("proofs");
    // The covered receipts' paths in one go: they share most of their hashes.
    List<Long> covered =
        cp.isEmpty()
            ? List.of()
            : receipts.stream().map(Receipt::seq).filter(s -> s <= cp.get().size()).toList();
    var paths =
        covered.isEmpty()
            ? List.<io.maestro.provenance.InclusionProof>of()
            : provenance.log().inclusionProofs(tx, log, covered, cp.get().size());
    int next = 0;
    for (Receipt r : receipts) {
      ObjectNode p = arr.addObject();
      p.put("id", r.id());
      p.put("digest", r.digest().toString());
      if (cp.isPresent() && cp.get().size() >= r.seq()) {
        p.set("proof", paths.get(next++).toJson());
      } else {
        p.putNull("proof");
      }
    }
  }

  /** An actor's subject as the {@code actor} filter takes it. */
  private static String actor(String value) {
    if (value.isBlank() || value.length() > 400) {
      throw new IllegalArgumentException("an actor's subject has 1-400 characters");
    }
    return value;
  }

  /** A reason code as the {@code deny_reason} filter takes it, e.g. {@code role_not_permitted}. */
  private static String reasonCode(String value) {
    if (!value.matches("[a-z0-9_.-]{1,200}")) {
      throw new IllegalArgumentException(
          "a reason code has 1-200 of a-z, 0-9, '_', '.', '-' (e.g. role_not_permitted)");
    }
    return value;
  }

  /** A run id as the {@code run} filter takes it: not blank, no {@code /} (that names a step). */
  private static String runId(String value) {
    if (value.isBlank() || value.length() > 200 || value.contains("/")) {
      throw new IllegalArgumentException("a run id has 1-200 characters and no '/'");
    }
    return value;
  }

  private void get(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    String id = req.path().pathParameters().get("id");
    LogId log = LogId.tenant(tenant);
    provenance.sequencer().drain(log); // a receipt committed before this request has its seq
    ObjectNode body =
        db.inTransaction(
            governed.scope(),
            tx -> {
              Receipt r =
                  provenance
                      .log()
                      .find(tx, log, id)
                      .orElseThrow(
                          () ->
                              MaestroException.of(
                                  ProvenanceErrors.RECEIPT_NOT_FOUND,
                                  "no receipt " + id + " in the log of tenant " + tenant));
              ObjectNode o = HttpJson.MAPPER.createObjectNode();
              o.set("receipt", ReceiptJson.toJson(r, true));
              o.put("digest", r.digest().toString());
              Optional<Checkpoint> cp = provenance.log().latestCheckpoint(tx, log);
              if (cp.isPresent() && cp.get().size() >= r.seq()) {
                InclusionProof p =
                    provenance.log().inclusionProof(tx, log, r.seq(), cp.get().size());
                o.set("proof", p.toJson());
                o.put("checkpoint", cp.get().note());
              } else {
                // Not yet covered: the next checkpoint (within about a second) will be.
                o.putNull("proof");
                o.putNull("checkpoint");
              }
              return o;
            });
    HttpJson.ok(res, body);
  }

  private void latest(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    Checkpoint cp =
        db.inTransaction(
                governed.scope(), tx -> provenance.log().latestCheckpoint(tx, LogId.tenant(tenant)))
            .orElseThrow(
                () ->
                    MaestroException.of(
                        ProvenanceErrors.NO_CHECKPOINT,
                        "tenant " + tenant + " has no checkpoint yet"));
    HttpJson.ok(res, checkpointJson(cp));
  }

  private void consistency(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    QueryParams.required(req, "from");
    QueryParams.required(req, "to");
    long from = QueryParams.longValue(req, "from", 0, 0, Long.MAX_VALUE);
    long to = QueryParams.longValue(req, "to", 0, 0, Long.MAX_VALUE);
    var proof =
        db.inTransaction(
            governed.scope(),
            tx -> provenance.log().consistencyProof(tx, LogId.tenant(tenant), from, to));
    HttpJson.ok(res, proof.toJson());
  }

  private void export(ServerRequest req, ServerResponse res) throws IOException {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    long from = QueryParams.longValue(req, "from", 1, 1, Long.MAX_VALUE);
    long to = QueryParams.longValue(req, "to", 0, 0, Long.MAX_VALUE);
    LazyBody out = new LazyBody(res);
    try {
      db.useTransaction(
          governed.scope(), tx -> provenance.log().export(tx, LogId.tenant(tenant), from, to, out));
    } finally {
      out.finish();
    }
  }

  private void keys(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=60");
    HttpJson.ok(res, provenance.keys().publicKeys().toJwks());
  }

  static ObjectNode checkpointJson(Checkpoint cp) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.put("origin", cp.origin());
    o.put("size", cp.size());
    o.put("root", cp.root().base64());
    o.put("time", ReceiptJson.formatTime(cp.time()));
    o.put("key_id", cp.keyId());
    o.put("note", cp.note());
    return o;
  }

  /** Stops the checkpointer (after a last run). */
  @Override
  public void close() {
    provenance.close();
  }

  /**
   * Opens the response stream only on the first byte, so an error raised before the export starts
   * (no checkpoint yet, a bad range) still becomes a problem response.
   */
  private static final class LazyBody extends OutputStream {
    private final ServerResponse res;
    private OutputStream out;

    LazyBody(ServerResponse res) {
      this.res = res;
    }

    private OutputStream out() {
      if (out == null) {
        res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
        out = res.outputStream();
      }
      return out;
    }

    @Override
    public void write(int b) throws IOException {
      out().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (out != null) {
        out.flush();
      }
    }

    @Override
    public void close() {
      // The export writer closes its stream when done; the response ends in finish().
    }

    void finish() throws IOException {
      if (out != null) {
        out.close();
      }
    }
  }
}
