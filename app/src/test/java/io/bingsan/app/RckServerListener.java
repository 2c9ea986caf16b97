package io.bingsan.app;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts Bingsan before Iceberg's REST Compatibility Kit runs (surefire execution {@code rck}) and
 * points the kit's client at it through the system properties it reads as catalog properties.
 */
public final class RckServerListener implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!Boolean.getBoolean("bingsan.rck")) {
      return;
    }
    CatalogTestServer server = CatalogTestServer.shared();
    System.setProperty("uri", server.uri());
    System.setProperty("warehouse", CatalogTestServer.WAREHOUSE);
  }
}
