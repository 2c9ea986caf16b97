package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.iceberg.rest.Endpoint;
import org.eclipse.jetty.http.UriCompliance;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API over HTTP on Jetty, backed by the real services on in-memory ports. */
class IcebergRestApiTest {
  private static final String BASE = "/v1/" + RestTestServer.WAREHOUSE;
  private static final String SCHEMA =
      """
      {"type": "struct", "schema-id": 0,
       "fields": [{"id": 1, "name": "id", "required": true, "type": "long"}]}
      """;

  private static RestTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        new RestTestServer(
            new RestSettings(
                64 * 1024,
                Duration.ofHours(1),
                Duration.ofMillis(200),
                1 << 20,
                Deflater.BEST_SPEED));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void configHandsOutThePrefixSeparatorRoutesAndKeyLifetime() {
    HttpResponse<String> response = server.send("GET", "/v1/config?warehouse=wh", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode config = server.json(response);
    assertThat(config.get("defaults").isEmpty()).isTrue();
    assertThat(config.get("overrides").get("prefix").asText()).isEqualTo("wh");
    assertThat(config.get("overrides").get("namespace-separator").asText()).isEqualTo("%1F");
    assertThat(config.get("idempotency-key-lifetime").asText()).isEqualTo("PT1H");
    List<String> endpoints = new ArrayList<>();
    config.get("endpoints").forEach(endpoint -> endpoints.add(endpoint.asText()));
    assertThat(endpoints)
        .containsExactlyElementsOf(Routes.ADVERTISED.stream().map(Endpoint::toString).toList())
        .contains("HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}")
        .contains("POST /v1/{prefix}/namespaces/{namespace}/register-view");
  }

  @Test
  void configWithoutAWarehouseUsesTheDefaultOneAndAnUnknownOneIs404() {
    assertThat(server.json(server.send("GET", "/v1/config", null)).at("/overrides/prefix").asText())
        .isEqualTo("wh");
    assertError(server.send("GET", "/v1/config?warehouse=nope", null), 404, "NoSuchWarehouseException");
  }

  @Test
  void theAdvertisedRoutesAreExactlyTheResourceMethods() {
    Set<String> served = new TreeSet<>();
    Stream.of(NamespaceResource.class, TableResource.class, ViewResource.class)
        .map(Resource::from)
        .forEach(
            resource ->
                resource
                    .getChildResources()
                    .forEach(
                        child -> {
                          for (ResourceMethod method : child.getResourceMethods()) {
                            served.add(
                                method.getHttpMethod() + " " + resource.getPath() + child.getPath());
                          }
                        }));

    assertThat(served)
        .containsExactlyInAnyOrderElementsOf(
            Routes.ADVERTISED.stream().map(Endpoint::toString).toList());
  }

  @Test
  void nestedNamespacesTravelWithTheEncodedSeparatorAndKeepTheirDots() {
    createNamespace("[\"Dots.Here\"]");
    createNamespace("[\"Dots.Here\", \"in side\"]");

    JsonNode loaded = server.json(server.send("GET", BASE + "/namespaces/Dots.Here%1Fin+side", null));
    assertThat(loaded.get("namespace").toString()).isEqualTo("[\"Dots.Here\",\"in side\"]");

    JsonNode children =
        server.json(server.send("GET", BASE + "/namespaces?parent=Dots.Here", null));
    assertThat(children.get("namespaces").toString()).isEqualTo("[[\"Dots.Here\",\"in side\"]]");

    JsonNode lowerCaseSeparator =
        server.json(server.send("GET", BASE + "/namespaces/Dots.Here%1fin%20side", null));
    assertThat(lowerCaseSeparator.get("namespace").toString())
        .isEqualTo("[\"Dots.Here\",\"in side\"]");
  }

  @Test
  void anEncodedSlashIsPartOfALevel() {
    createNamespace("[\"x/y\"]");

    HttpResponse<String> response = server.send("GET", BASE + "/namespaces/x%2Fy", null);

    assertThat(server.json(response).get("namespace").toString()).isEqualTo("[\"x/y\"]");
  }

  /**
   * Iceberg's client asks for {@code namespaces//tables/<namespace>} when a table named like a
   * metadata table ({@code history}) is missing; only a 404 of the right type lets it report the
   * table missing.
   */
  @Test
  void anEmptyNamespaceHoldsNothing() {
    assertError(
        server.send("GET", BASE + "/namespaces//tables/ledger?snapshots=all", null),
        404,
        "NoSuchTableException");
    assertThat(server.send("HEAD", BASE + "/namespaces//tables/ledger", null).statusCode())
        .isEqualTo(404);
    assertError(server.send("GET", BASE + "/namespaces//views/v", null), 404, "NoSuchViewException");
    assertError(
        server.send("GET", BASE + "/namespaces//tables", null), 404, "NoSuchNamespaceException");
  }

  @Test
  void jettysDefaultUriComplianceRefusesTheSeparatorBeforeJerseyRuns() throws Exception {
    try (RestTestServer strict = new RestTestServer(RestSettings.defaults(), UriCompliance.DEFAULT)) {
      HttpResponse<String> response = strict.send("GET", BASE + "/namespaces/a%1Fb", null);

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("Suspicious Path Character");
    }
  }

  @Test
  void pagingFollowsTheSpec() {
    for (String name : List.of("page_a", "page_b", "page_c")) {
      createNamespace("[\"paging\", \"" + name + "\"]");
    }
    createNamespace("[\"paging\"]");

    JsonNode all = server.json(server.send("GET", BASE + "/namespaces?parent=paging", null));
    assertThat(all.get("namespaces")).hasSize(3);
    assertThat(all.get("next-page-token").isNull()).isTrue();

    JsonNode first =
        server.json(server.send("GET", BASE + "/namespaces?parent=paging&pageToken=&pageSize=2", null));
    assertThat(first.get("namespaces")).hasSize(2);
    String token = first.get("next-page-token").asText();
    JsonNode second =
        server.json(
            server.send(
                "GET", BASE + "/namespaces?parent=paging&pageSize=2&pageToken=" + token, null));
    assertThat(second.get("namespaces").toString()).isEqualTo("[[\"paging\",\"page_c\"]]");

    assertError(
        server.send("GET", BASE + "/namespaces?pageToken=&pageSize=many", null),
        400,
        "BadRequestException");
  }

  @Test
  void namespaceLifecycle() {
    createNamespace("[\"life\"]");
    assertThat(server.send("HEAD", BASE + "/namespaces/life", null).statusCode()).isEqualTo(204);

    HttpResponse<String> updated =
        server.send(
            "POST",
            BASE + "/namespaces/life/properties",
            "{\"updates\": {\"owner\": \"me\"}, \"removals\": [\"gone\"]}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(server.json(updated).get("missing").toString()).isEqualTo("[\"gone\"]");
    JsonNode loaded = server.json(server.send("GET", BASE + "/namespaces/life", null));
    assertThat(loaded.at("/properties/owner").asText()).isEqualTo("me");
    // Where its tables go by default (Trino stages new tables there).
    assertThat(loaded.at("/properties/location").asText()).isEqualTo("file:/tmp/bingsan-rest-test/life");

    assertError(
        server.send(
            "POST",
            BASE + "/namespaces/life/properties",
            "{\"updates\": {\"a\": \"1\"}, \"removals\": [\"a\"]}"),
        422,
        "UnprocessableEntityException");

    createTable("life", "t", false);
    assertError(server.send("DELETE", BASE + "/namespaces/life", null), 409, "NamespaceNotEmptyException");
    assertThat(server.send("DELETE", BASE + "/namespaces/life/tables/t", null).statusCode()).isEqualTo(204);
    assertThat(server.send("DELETE", BASE + "/namespaces/life", null).statusCode()).isEqualTo(204);

    HttpResponse<String> gone = server.send("HEAD", BASE + "/namespaces/life", null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertError(server.send("GET", BASE + "/namespaces/life", null), 404, "NoSuchNamespaceException");
  }

  @Test
  void aTableLoadIsTaggedAndRevalidatedWithoutItsMetadata() {
    createNamespace("[\"etag\"]");
    HttpResponse<String> created = createTable("etag", "t", false);
    String createTag = created.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> loaded = server.send("GET", BASE + "/namespaces/etag/tables/t", null);
    assertThat(loaded.statusCode()).isEqualTo(200);
    assertThat(loaded.headers().firstValue("ETag")).hasValue(createTag);
    assertThat(server.json(loaded).get("metadata-location").asText())
        .isEqualTo(server.json(created).get("metadata-location").asText());

    HttpResponse<String> notModified =
        server.send("GET", BASE + "/namespaces/etag/tables/t", null, "If-None-Match", createTag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers().firstValue("ETag")).hasValue(createTag);

    HttpResponse<String> refs =
        server.send(
            "GET", BASE + "/namespaces/etag/tables/t?snapshots=refs", null, "If-None-Match", createTag);
    assertThat(refs.statusCode()).isEqualTo(200);
    assertThat(refs.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(createTag);

    HttpResponse<String> committed =
        server.send("POST", BASE + "/namespaces/etag/tables/t", setProperty("k", "v"));
    assertThat(committed.statusCode()).isEqualTo(200);
    String commitTag = committed.headers().firstValue("ETag").orElseThrow();
    assertThat(commitTag).isNotEqualTo(createTag);
    assertThat(server.json(committed).at("/metadata/properties/k").asText()).isEqualTo("v");

    HttpResponse<String> stale =
        server.send("GET", BASE + "/namespaces/etag/tables/t", null, "If-None-Match", createTag);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.headers().firstValue("ETag")).hasValue(commitTag);
    assertThat(server.send("HEAD", BASE + "/namespaces/etag/tables/t", null).statusCode()).isEqualTo(204);
  }

  @Test
  void aGzipClientGetsTheStoredGzipBodyUnderItsOwnTag() {
    createNamespace("[\"gzip\"]");
    createTable("gzip", "t", false);
    String path = BASE + "/namespaces/gzip/tables/t";
    HttpResponse<byte[]> plain = server.sendForBytes("GET", path, null);
    String tag = plain.headers().firstValue("ETag").orElseThrow();

    HttpResponse<byte[]> gzipped = server.sendForBytes("GET", path, null, "Accept-Encoding", "gzip");

    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.headers().allValues("Vary")).contains("Accept-Encoding");
    assertThat(gzipped.statusCode()).isEqualTo(200);
    assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gzipped.headers().allValues("Vary")).contains("Accept-Encoding");
    assertThat(gzipped.headers().firstValue("ETag")).hasValue(ETags.gzip(tag));
    // One layer: Jetty's GzipHandler must not compress the stored gzip bytes again.
    assertThat(Gunzip.decode(gzipped.body())).isEqualTo(plain.body());
    assertThat(gzipped.body().length).isLessThan(plain.body().length);
  }

  @Test
  void loadsAnswerAsJerseyDoes() {
    createNamespace("[\"lean\"]");
    createTable("lean", "t", false);
    String path = BASE + "/namespaces/lean/tables/t";
    String tag = server.send("GET", path, null).headers().firstValue("ETag").orElseThrow();
    // An unknown parameter sends the request past TableLoadHandler to Jersey.
    List<String> queries = List.of("", "?snapshots=refs");
    List<List<String>> headerCases =
        List.of(
            List.of("Accept-Encoding", "identity"),
            List.of("Accept-Encoding", "gzip"),
            List.of("Accept-Encoding", "gzip", "If-None-Match", tag),
            List.of("Accept-Encoding", "identity", "If-None-Match", ETags.gzip(tag)));

    for (String query : queries) {
      for (List<String> headers : headerCases) {
        String[] sent = headers.toArray(String[]::new);
        String viaJersey = query.isEmpty() ? "?unused=1" : query + "&unused=1";
        int servletRequests = server.servletRequests.get();
        HttpResponse<byte[]> answered = server.sendForBytes("GET", path + query, null, sent);
        int servletRequestsAfterAnswered = server.servletRequests.get();
        HttpResponse<byte[]> jersey = server.sendForBytes("GET", path + viaJersey, null, sent);

        assertSameAnswer(query + " " + headers, answered, jersey);
        assertThat(servletRequestsAfterAnswered)
            .as("answered ahead of the servlets: " + query + " " + headers)
            .isEqualTo(servletRequests);
        assertThat(server.servletRequests.get()).isEqualTo(servletRequests + 1);
      }
    }
  }

  @Test
  void commitsAnswerAsJerseyDoes() {
    createNamespace("[\"direct\"]");
    createTable("direct", "t", false);
    String path = BASE + "/namespaces/direct/tables/t";
    List<String> failing =
        List.of(
            "{\"requirements\": [{\"type\": \"assert-table-uuid\","
                + " \"uuid\": \"00000000-0000-0000-0000-000000000000\"}], \"updates\": []}",
            "{\"requirements\": [], \"updates\": [{\"action\": \"no-such-update\"}]}",
            "{\"requirements\": [",
            "",
            "x".repeat(64 * 1024 + 1));
    List<List<String>> encodings =
        List.of(List.of("Accept-Encoding", "identity"), List.of("Accept-Encoding", "gzip"));

    for (List<String> headers : encodings) {
      String[] sent = headers.toArray(String[]::new);
      // A query string sends the commit past TableCommitFilter to Jersey.
      for (String query : List.of("", "?unused=1")) {
        String description = query + " " + headers;
        HttpResponse<byte[]> committed =
            server.sendForBytes("POST", path + query, setProperty("k", description), sent);
        HttpResponse<byte[]> loaded = server.sendForBytes("GET", path, null, sent);

        // Every success answers as the load of the version it made.
        assertSameAnswer(description, committed, loaded);
      }
    }
    List<List<String>> failingHeaders = new ArrayList<>(encodings);
    failingHeaders.add(List.of("Idempotency-Key", "not-a-uuid"));
    for (List<String> headers : failingHeaders) {
      String[] sent = headers.toArray(String[]::new);
      for (String body : failing) {
        String description = body.substring(0, Math.min(body.length(), 60)) + " " + headers;
        HttpResponse<byte[]> filtered = server.sendForBytes("POST", path, body, sent);
        HttpResponse<byte[]> jersey = server.sendForBytes("POST", path + "?unused=1", body, sent);

        assertSameAnswer(description, filtered, jersey);
      }
    }
    HttpResponse<byte[]> missing =
        server.sendForBytes("POST", BASE + "/namespaces/direct/tables/nope", setProperty("k", "2"));
    HttpResponse<byte[]> missingViaJersey =
        server.sendForBytes(
            "POST", BASE + "/namespaces/direct/tables/nope?unused=1", setProperty("k", "2"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertSameAnswer("no such table", missing, missingViaJersey);
  }

  @Test
  void aCommitRetriedPastTheFilterReplaysTheFirstAnswer() {
    createNamespace("[\"replay\"]");
    createTable("replay", "t", false);
    String path = BASE + "/namespaces/replay/tables/t";
    String key = "018f22e2-79b0-7cc3-98c4-dc0c0c0739bb";

    HttpResponse<byte[]> first =
        server.sendForBytes("POST", path, setProperty("n", "1"), "Idempotency-Key", key);
    HttpResponse<byte[]> retry =
        server.sendForBytes(
            "POST", path + "?unused=1", setProperty("n", "2"), "Idempotency-Key", key);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(server.json(server.send("GET", path, null)).at("/metadata/properties/n").asText())
        .isEqualTo("1");
  }

  /** Same status, headers (but the date) and body. */
  private static void assertSameAnswer(
      String description, HttpResponse<byte[]> actual, HttpResponse<byte[]> expected) {
    assertThat(actual.statusCode()).as(description).isEqualTo(expected.statusCode());
    assertThat(withoutDate(actual.headers().map()))
        .as(description)
        .isEqualTo(withoutDate(expected.headers().map()));
    assertThat(actual.body()).as(description).isEqualTo(expected.body());
  }

  private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
    Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    kept.putAll(headers);
    kept.remove("date");
    return kept;
  }

  @Test
  void eitherTagRevalidatesWhateverTheClientAccepts() {
    createNamespace("[\"gzip304\"]");
    createTable("gzip304", "t", false);
    String path = BASE + "/namespaces/gzip304/tables/t";
    String tag = server.send("GET", path, null).headers().firstValue("ETag").orElseThrow();

    String gzipTag = ETags.gzip(tag);
    // Sent tag, Accept-Encoding, tag of the 304. Jetty's GzipHandler strips "--gzip" from
    // If-None-Match and restores it only for a client that still accepts gzip.
    List<List<String>> cases =
        List.of(
            List.of(tag, "identity", tag),
            List.of(tag, "gzip", tag),
            List.of(gzipTag, "gzip", gzipTag),
            List.of(gzipTag, "identity", tag));

    for (List<String> revalidation : cases) {
      HttpResponse<byte[]> notModified =
          server.sendForBytes(
              "GET", path, null, "If-None-Match", revalidation.get(0), "Accept-Encoding", revalidation.get(1));

      assertThat(notModified.statusCode()).as(revalidation.toString()).isEqualTo(304);
      assertThat(notModified.body()).isEmpty();
      assertThat(notModified.headers().firstValue("Content-Encoding")).isEmpty();
      assertThat(notModified.headers().firstValue("ETag")).hasValue(revalidation.get(2));
      assertThat(notModified.headers().allValues("Vary")).contains("Accept-Encoding");
    }
    HttpResponse<byte[]> head = server.sendForBytes("HEAD", path, null, "Accept-Encoding", "gzip");
    assertThat(head.statusCode()).isEqualTo(204);
    assertThat(head.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void aCommitAnswersInGzipAndItsReplayDecodesToTheSameBody() {
    createNamespace("[\"gzipcommit\"]");
    createTable("gzipcommit", "t", false);
    String path = BASE + "/namespaces/gzipcommit/tables/t";
    String commit = setProperty("k", "v");
    String key = "018f22e2-79b0-7cc3-98c4-dc0c0c0739aa";

    HttpResponse<byte[]> committed =
        server.sendForBytes("POST", path, commit, "Idempotency-Key", key, "Accept-Encoding", "gzip");
    HttpResponse<byte[]> replayed =
        server.sendForBytes("POST", path, commit, "Idempotency-Key", key, "Accept-Encoding", "gzip");
    HttpResponse<byte[]> replayedPlain =
        server.sendForBytes("POST", path, commit, "Idempotency-Key", key);
    HttpResponse<byte[]> loaded = server.sendForBytes("GET", path, null);

    assertThat(committed.statusCode()).isEqualTo(200);
    assertThat(committed.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String tag = loaded.headers().firstValue("ETag").orElseThrow();
    assertThat(committed.headers().firstValue("ETag")).hasValue(ETags.gzip(tag));
    byte[] body = Gunzip.decode(committed.body());
    assertThat(body).isEqualTo(loaded.body());
    assertThat(server.json(body).at("/metadata/properties/k").asText())
        .isEqualTo("v");
    // The replay comes from the recorded plain body; Jetty compresses it like any other response.
    assertThat(replayed.statusCode()).isEqualTo(200);
    assertThat(replayed.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(Gunzip.decode(replayed.body())).isEqualTo(body);
    assertThat(replayedPlain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(replayedPlain.body()).isEqualTo(body);
  }

  @Test
  void aStagedCreateIsCommittedWithAssertCreate() {
    createNamespace("[\"staged\"]");
    HttpResponse<String> staged = createTable("staged", "t", true);
    assertThat(staged.headers().firstValue("ETag")).isEmpty();
    assertThat(server.json(staged).has("metadata-location")).isFalse();
    assertThat(server.send("HEAD", BASE + "/namespaces/staged/tables/t", null).statusCode()).isEqualTo(404);

    String location = server.json(staged).at("/metadata/location").asText();
    HttpResponse<String> created =
        server.send(
            "POST",
            BASE + "/namespaces/staged/tables/t",
            """
            {"requirements": [{"type": "assert-create"}],
             "updates": [
               {"action": "assign-uuid", "uuid": "2cc52516-5e73-41f2-b139-545d41a4e151"},
               {"action": "upgrade-format-version", "format-version": 2},
               {"action": "add-schema", "schema": %s},
               {"action": "set-current-schema", "schema-id": -1},
               {"action": "add-spec", "spec": {"spec-id": 0, "fields": []}},
               {"action": "set-default-spec", "spec-id": -1},
               {"action": "add-sort-order", "sort-order": {"order-id": 0, "fields": []}},
               {"action": "set-default-sort-order", "sort-order-id": -1},
               {"action": "set-location", "location": "%s"}]}
            """
                .formatted(SCHEMA, location));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(created.headers().firstValue("ETag")).isPresent();
    assertThat(server.send("HEAD", BASE + "/namespaces/staged/tables/t", null).statusCode()).isEqualTo(204);
    assertError(
        server.send(
            "POST",
            BASE + "/namespaces/staged/tables/t",
            "{\"requirements\": [{\"type\": \"assert-create\"}], \"updates\": []}"),
        409,
        "CommitFailedException");
  }

  @Test
  void tablesAreListedRenamedAndReportedOn() {
    createNamespace("[\"ops\"]");
    createTable("ops", "Orders", false);

    JsonNode listed = server.json(server.send("GET", BASE + "/namespaces/ops/tables", null));
    assertThat(listed.get("identifiers").toString())
        .isEqualTo("[{\"namespace\":[\"ops\"],\"name\":\"Orders\"}]");

    HttpResponse<String> metrics =
        server.send(
            "POST",
            BASE + "/namespaces/ops/tables/Orders/metrics",
            """
            {"report-type": "commit-report", "table-name": "wh.ops.Orders", "snapshot-id": 1,
             "sequence-number": 1, "operation": "append", "metrics": {}}
            """);
    assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(204);
    assertThat(server.catalog.reports())
        .anySatisfy(
            report -> {
              assertThat(report.type()).isEqualTo("commit-report");
              assertThat(report.json()).contains("\"table-name\":\"wh.ops.Orders\"");
            });
    assertError(
        server.send("POST", BASE + "/namespaces/ops/tables/Orders/metrics", "{\"x\": 1}"),
        400,
        "BadRequestException");

    HttpResponse<String> renamed =
        server.send(
            "POST",
            BASE + "/tables/rename",
            """
            {"source": {"namespace": ["ops"], "name": "Orders"},
             "destination": {"namespace": ["ops"], "name": "Orders2"}}
            """);
    assertThat(renamed.statusCode()).isEqualTo(204);
    assertThat(server.send("GET", BASE + "/namespaces/ops/tables/orders2", null).statusCode())
        .isEqualTo(200);
    assertError(server.send("GET", BASE + "/namespaces/ops/tables/Orders", null), 404, "NoSuchTableException");
    assertError(server.send("GET", BASE + "/namespaces/nope/tables", null), 404, "NoSuchNamespaceException");
  }

  @Test
  void aTransactionCommitsEveryTable() {
    createNamespace("[\"tx\"]");
    createTable("tx", "a", false);
    createTable("tx", "b", false);

    HttpResponse<String> response =
        server.send(
            "POST",
            BASE + "/transactions/commit",
            """
            {"table-changes": [
              {"identifier": {"namespace": ["tx"], "name": "a"}, "requirements": [],
               "updates": [{"action": "set-properties", "updates": {"n": "1"}}]},
              {"identifier": {"namespace": ["tx"], "name": "b"}, "requirements": [],
               "updates": [{"action": "set-properties", "updates": {"n": "2"}}]}]}
            """);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    assertThat(server.json(server.send("GET", BASE + "/namespaces/tx/tables/b", null)).at("/metadata/properties/n").asText())
        .isEqualTo("2");
    assertError(
        server.send("POST", BASE + "/transactions/commit", "{\"table-changes\": []}"),
        400,
        "BadRequestException");
  }

  @Test
  void viewLifecycle() {
    createNamespace("[\"views\"]");
    HttpResponse<String> created =
        server.send(
            "POST",
            BASE + "/namespaces/views/views",
            """
            {"name": "v", "schema": %s, "properties": {},
             "view-version": {"version-id": 1, "timestamp-ms": 1700000000000, "schema-id": 0,
               "summary": {}, "default-namespace": ["views"],
               "representations": [{"type": "sql", "sql": "select 1", "dialect": "spark"}]}}
            """
                .formatted(SCHEMA));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(server.json(created).get("metadata-location").asText()).endsWith(".metadata.json");

    assertThat(server.send("HEAD", BASE + "/namespaces/views/views/v", null).statusCode()).isEqualTo(204);
    assertThat(server.json(server.send("GET", BASE + "/namespaces/views/views", null)).get("identifiers"))
        .hasSize(1);

    HttpResponse<String> replaced =
        server.send("POST", BASE + "/namespaces/views/views/v", setProperty("k", "v"));
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    assertThat(server.json(replaced).at("/metadata/properties/k").asText()).isEqualTo("v");

    assertThat(
            server
                .send(
                    "POST",
                    BASE + "/views/rename",
                    "{\"source\": {\"namespace\": [\"views\"], \"name\": \"v\"},"
                        + " \"destination\": {\"namespace\": [\"views\"], \"name\": \"w\"}}")
                .statusCode())
        .isEqualTo(204);
    assertError(server.send("GET", BASE + "/namespaces/views/views/v", null), 404, "NoSuchViewException");
    assertThat(server.send("DELETE", BASE + "/namespaces/views/views/w", null).statusCode()).isEqualTo(204);
    assertThat(server.send("HEAD", BASE + "/namespaces/views/views/w", null).statusCode()).isEqualTo(404);
  }

  @Test
  void anIdempotentRetryReplaysTheFirstResponse() {
    String key = "018f22e2-79b0-7cc3-98c4-dc0c0c07398f";
    String body = "{\"namespace\": [\"idem\"], \"properties\": {\"a\": \"1\"}}";

    HttpResponse<String> first = server.send("POST", BASE + "/namespaces", body, "Idempotency-Key", key);
    HttpResponse<String> retry = server.send("POST", BASE + "/namespaces", body, "Idempotency-Key", key);
    HttpResponse<String> fresh =
        server.send(
            "POST", BASE + "/namespaces", body, "Idempotency-Key", "018f22e2-79b0-7cc3-98c4-dc0c0c073990");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo(first.body());
    assertError(fresh, 409, "AlreadyExistsException");
    assertError(
        server.send("DELETE", BASE + "/namespaces/idem", null, "Idempotency-Key", key),
        400,
        "IllegalArgumentException");
    assertError(
        server.send("POST", BASE + "/namespaces", body, "Idempotency-Key", "not-a-uuid"),
        400,
        "BadRequestException");
  }

  @Test
  void everyFailureIsAnIcebergErrorModel() {
    assertError(server.send("GET", "/v1/wh/nothing/here", null), 404, "NotFoundException");
    assertError(server.send("PUT", BASE + "/namespaces", "{}"), 405, "NotAllowedException");
    assertError(server.send("POST", BASE + "/namespaces", "{\"namespace\": "), 400, "BadRequestException");
    assertError(server.send("POST", BASE + "/namespaces", "{}"), 400, "BadRequestException");
    assertError(server.send("POST", BASE + "/namespaces", null), 400, "BadRequestException");
    assertError(
        server.send("POST", BASE + "/namespaces", "{\"namespace\": [\"" + "x".repeat(70_000) + "\"]}"),
        413,
        "ClientErrorException");
    assertError(server.send("GET", "/v1/nope/namespaces", null), 404, "NoSuchWarehouseException");
    assertError(
        server.send("GET", BASE + "/namespaces/a/tables/t?snapshots=some", null),
        400,
        "BadRequestException");
  }

  private static void assertError(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode error = server.json(response).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(status);
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("message").asText()).isNotBlank();
  }

  /** A commit that sets one property and requires nothing. */
  private static String setProperty(String key, String value) {
    return ("{\"requirements\": [], \"updates\": [{\"action\": \"set-properties\","
            + " \"updates\": {\"%s\": \"%s\"}}]}")
        .formatted(key, value);
  }

  private static void createNamespace(String levels) {
    HttpResponse<String> response =
        server.send("POST", BASE + "/namespaces", "{\"namespace\": " + levels + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static HttpResponse<String> createTable(String namespace, String name, boolean staged) {
    HttpResponse<String> response =
        server.send(
            "POST",
            BASE + "/namespaces/" + namespace + "/tables",
            "{\"name\": \"%s\", \"schema\": %s, \"stage-create\": %s}".formatted(name, SCHEMA, staged));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }
}
