package io.maestro.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketingTest {
  @Test
  void bucket_isStableAndInRange() {
    double b = Bucketing.bucket("acme", "hello", "key-1");
    assertThat(Bucketing.bucket("acme", "hello", "key-1")).isEqualTo(b);
    assertThat(b).isGreaterThanOrEqualTo(0).isLessThan(100);
  }

  @Test
  void bucket_dependsOnTenantWorkflowAndKey() {
    double b = Bucketing.bucket("acme", "hello", "key-1");
    int differ = 0;
    for (int i = 0; i < 20; i++) {
      if (Bucketing.bucket("acme", "hello", "key-" + (i + 2)) != b) {
        differ++;
      }
    }
    assertThat(differ).isGreaterThan(15);
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    assertThat(Bucketing.bucket("t", "ab", "c")).isNotEqualTo(Bucketing.bucket("t", "a", "bc"));
  }

  @Test
  void tenPercentOfAThousandKeys_isBetweenEightAndTwelvePercent() {
    int in = 0;
    for (int i = 0; i < 1000; i++) {
      if (Bucketing.bucket("acme", "hello", "ramp-key-" + i) < 10) {
        in++;
      }
    }
    assertThat(in).isBetween(80, 120);
  }
}
