package io.bingsan.adapters.rest;

import java.util.List;
import org.apache.iceberg.rest.Endpoint;

/**
 * The routes this API serves, as {@code GET /v1/config} advertises them. Clients since Iceberg 1.8
 * call only what is listed, so the list must match the resource methods exactly (a test checks
 * it). Scan planning, credentials, signing, functions and OAuth are not served, so not listed.
 */
final class Routes {
  static final List<Endpoint> ADVERTISED =
      List.of(
          Endpoint.V1_LIST_NAMESPACES,
          Endpoint.V1_CREATE_NAMESPACE,
          Endpoint.V1_LOAD_NAMESPACE,
          Endpoint.V1_NAMESPACE_EXISTS,
          Endpoint.V1_DELETE_NAMESPACE,
          Endpoint.V1_UPDATE_NAMESPACE,
          Endpoint.V1_LIST_TABLES,
          Endpoint.V1_CREATE_TABLE,
          Endpoint.V1_LOAD_TABLE,
          Endpoint.V1_TABLE_EXISTS,
          Endpoint.V1_UPDATE_TABLE,
          Endpoint.V1_DELETE_TABLE,
          Endpoint.V1_REGISTER_TABLE,
          Endpoint.V1_RENAME_TABLE,
          Endpoint.V1_REPORT_METRICS,
          Endpoint.V1_COMMIT_TRANSACTION,
          Endpoint.V1_LIST_VIEWS,
          Endpoint.V1_CREATE_VIEW,
          Endpoint.V1_LOAD_VIEW,
          Endpoint.V1_VIEW_EXISTS,
          Endpoint.V1_UPDATE_VIEW,
          Endpoint.V1_DELETE_VIEW,
          Endpoint.V1_RENAME_VIEW,
          Endpoint.V1_REGISTER_VIEW);

  private Routes() {}
}
