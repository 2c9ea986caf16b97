package io.bingsan.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One app process and one connected engine for all scenarios of a suite; subclasses choose the
 * PostgreSQL behind the app and how the engine connects to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineScenarios<E extends SqlEngine> {
  private final String name;
  private BingsanProcess app;
  private E engine;

  /**
   * @param name what the app's log is named after
   */
  EngineScenarios(String name) {
    this.name = name;
  }

  abstract CatalogDatabase database();

  abstract E connect(BingsanProcess app) throws Exception;

  @BeforeAll
  final void start() throws Exception {
    app = BingsanProcess.start(name, database());
    engine = connect(app);
  }

  @AfterAll
  final void stop() throws Exception {
    if (engine != null) {
      engine.close();
    }
    if (app != null) {
      app.close();
    }
  }

  final BingsanProcess app() {
    return app;
  }

  final E engine() {
    return engine;
  }
}
