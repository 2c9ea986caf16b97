package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped {@code config.yml} read as the application reads it, with the environment's values
 * substituted before the YAML is parsed.
 */
class ShippedConfigurationTest {

  @Test
  void withoutADatabaseUrlItAsksForTheEmbeddedPostgres() throws Exception {
    BingsanConfiguration configuration = load(Map.of());

    assertThat(configuration.getDatabase().getUrl()).isEqualTo(BingsanConfiguration.EMBEDDED);
  }

  /** Generated passwords start with YAML's markers or hold its comment and key separators. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "*alias", "&anchor", "!tag", "%directive", "@at", "`tick", "-dash", "?query", "|pipe",
        ">fold", "[flow", "{map", "'quote", "a #comment", "key: value", "null", "true", "0755",
        "~", "pass word"
      })
  void theDatabaseUserAndPasswordArriveAsGiven(String secret) throws Exception {
    BingsanConfiguration configuration =
        load(
            Map.of(
                "BINGSAN_DB_URL", "jdbc:postgresql://db.example:5432/bingsan",
                "BINGSAN_DB_USER", secret,
                "BINGSAN_DB_PASSWORD", secret));

    assertThat(configuration.getDatabase().getUrl())
        .isEqualTo("jdbc:postgresql://db.example:5432/bingsan");
    assertThat(configuration.getDatabase().getUser()).isEqualTo(secret);
    assertThat(configuration.getDatabase().getPassword()).isEqualTo(secret);
  }

  private static BingsanConfiguration load(Map<String, String> environment) throws Exception {
    // Not Dropwizard's "dw": other tests in this JVM override settings through dw.* properties.
    return new YamlConfigurationFactory<>(
            BingsanConfiguration.class,
            Validators.newValidator(),
            Jackson.newObjectMapper(),
            "shipped-configuration-test")
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(),
                new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(environment))),
            "../config.yml");
  }
}
