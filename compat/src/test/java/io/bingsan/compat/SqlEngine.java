package io.bingsan.compat;

import java.util.List;

/** What {@link EngineShell} needs of an engine; each engine's own type narrows the exceptions. */
interface SqlEngine extends AutoCloseable {
  /** Runs statements in order, each to completion. */
  void sql(String... statements) throws Exception;

  /** The rows a query returns, each as a list of plain Java values. */
  List<List<Object>> rows(String query) throws Exception;
}
