package io.bingsan.app;

/** This build of the application, as the build wrote it here; see {@link BuildCheck}. */
final class BuildStamp {
  static final String VALUE = "${bingsan.build.stamp}";

  private BuildStamp() {}
}
