package io.bingsan.adapters.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;

/**
 * Answers paths with an empty namespace ({@code namespaces//…}), which match no route. Iceberg's
 * client sends them: when a table named like a metadata table ({@code history}, {@code files}, …)
 * is missing, it looks for that metadata table of a table named after the namespace, one level up;
 * for a top-level namespace that is {@code namespaces//tables/<namespace>}. Nothing lives in the
 * empty namespace, so the answer is the 404 the route would give: no such table, view or namespace.
 * Any other status makes the client fail instead of reporting the table missing.
 */
@PreMatching
final class EmptyNamespacePaths implements ContainerRequestFilter {
  private static final String EMPTY_NAMESPACE = "/namespaces//";

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    int at = path.indexOf(EMPTY_NAMESPACE);
    if (at < 0) {
      return;
    }
    String[] rest = path.substring(at + EMPTY_NAMESPACE.length()).split("/", -1);
    if (rest.length == 2 && rest[0].equals("tables")) {
      throw new NoSuchTableException("Table does not exist: %s", inEmptyNamespace(rest[1]));
    }
    if (rest.length == 2 && rest[0].equals("views")) {
      throw new NoSuchViewException("View does not exist: %s", inEmptyNamespace(rest[1]));
    }
    throw new NoSuchNamespaceException("Namespace does not exist: %s", Namespace.empty());
  }

  private static TableIdentifier inEmptyNamespace(String encodedName) {
    return TableIdentifier.of(Namespace.empty(), Identifiers.decode(encodedName));
  }
}
