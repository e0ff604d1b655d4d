package io.flowtrail.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/** The string columns' UTF-8 cache of a Parquet writer. */
class Utf8CacheTest {
    @Test
    void aValueSeenBeforeComesBackAsTheSameBinaryInItsColumn() {
        ParquetTable.Utf8Cache utf8 = new ParquetTable.Utf8Cache(2);
        Binary a = utf8.of(0, new String("eni-0a1b"));
        Binary b = utf8.of(0, "eni-0c2d");
        // equal strings, not the same instance: as they come back from the shuffle
        assertThat(utf8.of(0, new String("eni-0a1b"))).isSameAs(a);
        assertThat(utf8.of(0, "eni-0c2d")).isSameAs(b);
        assertThat(utf8.of(1, "eni-0a1b")).as("each column its own").isNotSameAs(a);
        assertThat(a.toStringUsingUTF8()).isEqualTo("eni-0a1b");
    }

    @Test
    void encodesUtf8() {
        ParquetTable.Utf8Cache utf8 = new ParquetTable.Utf8Cache(1);
        Binary b = utf8.of(0, "arn:aws:iam::111122223333:role/équipe-données");
        assertThat(b.getBytes())
                .isEqualTo(
                        "arn:aws:iam::111122223333:role/équipe-données"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aColumnWithTooManyDistinctValuesStopsCachingAndStaysCorrect() {
        ParquetTable.Utf8Cache utf8 = new ParquetTable.Utf8Cache(1);
        Binary first = utf8.of(0, "v0");
        for (int i = 1; i <= ParquetTable.Utf8Cache.DISTINCT; i++) {
            assertThat(utf8.of(0, "v" + i).toStringUsingUTF8()).isEqualTo("v" + i);
        }
        Binary again = utf8.of(0, "v0");
        assertThat(again).isNotSameAs(first).isEqualTo(first);
        assertThat(utf8.of(0, "v0")).as("the previous value is still reused").isSameAs(again);
    }
}
