package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Identifiers that repeat on every record become one {@code String} each, with bounded memory. */
class ByteStringInternerTest {
    @Test
    void theSameBytesGiveTheSameInstance() {
        ByteStringInterner interner = new ByteStringInterner(16);
        byte[] line = ascii("eni-0a1b2c3d4e5f60718 eni-0a1b2c3d4e5f60718");

        String first = interner.intern(line, 0, 21);
        String second = interner.intern(line, 22, 43);

        assertThat(first).isEqualTo("eni-0a1b2c3d4e5f60718");
        assertThat(second).isSameAs(first);
    }

    @Test
    void bytesWithTheSameHashAreStillDifferentStrings() {
        // "Aa" and "BB" hash alike (31 * 'A' + 'a' == 31 * 'B' + 'B').
        ByteStringInterner interner = new ByteStringInterner(16);

        String aa = interner.intern(ascii("Aa"), 0, 2);
        String bb = interner.intern(ascii("BB"), 0, 2);

        assertThat(aa).isEqualTo("Aa");
        assertThat(bb).isEqualTo("BB");
        assertThat(interner.intern(ascii("Aa"), 0, 2)).isSameAs(aa);
        assertThat(interner.intern(ascii("BB"), 0, 2)).isSameAs(bb);
    }

    @Test
    void aFullTableStartsOverAndStillGivesTheRightValues() {
        ByteStringInterner interner = new ByteStringInterner(4); // starts over at 2 entries

        String vpc1 = interner.intern(ascii("vpc-1"), 0, 5);
        interner.intern(ascii("vpc-2"), 0, 5);
        interner.intern(ascii("vpc-3"), 0, 5);
        String vpc1Again = interner.intern(ascii("vpc-1"), 0, 5);
        String vpc4 = interner.intern(ascii("vpc-4"), 0, 5);

        assertThat(vpc1Again).isEqualTo(vpc1);
        assertThat(vpc4).isEqualTo("vpc-4");
    }

    @Test
    void textIsDecodedAsUtf8() {
        byte[] b = "prod-clüster".getBytes(StandardCharsets.UTF_8);

        assertThat(new ByteStringInterner(16).intern(b, 0, b.length)).isEqualTo("prod-clüster");
    }

    @Test
    void theCapacityMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new ByteStringInterner(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be a power of two");
    }
}
