package io.bingsan.app;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import java.util.List;
import java.util.stream.Stream;

/** The connectors a server configuration declares, whichever of Dropwizard's two kinds it is. */
final class ServerConnectors {
  private ServerConnectors() {}

  /** Those that serve the catalog's API (a simple server's one connector serves both). */
  static List<ConnectorFactory> application(ServerFactory server) {
    return switch (server) {
      case DefaultServerFactory multiple -> multiple.getApplicationConnectors();
      case SimpleServerFactory single -> List.of(single.getConnector());
      default -> List.of();
    };
  }

  /** The application's and the admin port's. */
  static List<ConnectorFactory> all(ServerFactory server) {
    if (server instanceof DefaultServerFactory multiple) {
      return Stream.concat(application(server).stream(), multiple.getAdminConnectors().stream())
          .toList();
    }
    return application(server);
  }
}
