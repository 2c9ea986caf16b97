package io.bingsan.domain.change;

/** The two kinds of catalog object that share a namespace's names. */
public enum ObjectKind {
  TABLE("table"),
  VIEW("view");

  private final String label;

  ObjectKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
