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
    void bytesInTheSameSlotAreStillDifferentStrings() {
        // Of 17 values, two fall in the same of 16 slots.
        String a = null;
        String b = null;
        java.util.Map<Integer, String> bySlot = new java.util.HashMap<>();
        for (int i = 0; i < 17 && b == null; i++) {
            String value = "vpc-" + i;
            String before =
                    bySlot.put(
                            ByteStringInterner.hash(ascii(value), 0, value.length()) & 15, value);
            if (before != null) {
                a = before;
                b = value;
            }
        }
        ByteStringInterner interner = new ByteStringInterner(16);

        String first = interner.intern(ascii(a), 0, a.length());
        String second = interner.intern(ascii(b), 0, b.length());

        assertThat(first).isEqualTo(a);
        assertThat(second).isEqualTo(b);
        assertThat(interner.intern(ascii(a), 0, a.length())).isSameAs(first);
        assertThat(interner.intern(ascii(b), 0, b.length())).isSameAs(second);
    }

    @Test
    void aRangeInsideALargerBufferHashesAndInternsAsTheSameBytesAlone() {
        ByteStringInterner interner = new ByteStringInterner(64);
        for (String value : new String[] {"vpc-1", "eni-0a1b2c3d", "subnet-0123456789abcdef0"}) {
            byte[] alone = ascii(value);
            byte[] inside = ascii("2 111122223333 " + value + " 10.0.0.1");
            int from = "2 111122223333 ".length();

            assertThat(ByteStringInterner.hash(inside, from, from + alone.length))
                    .isEqualTo(ByteStringInterner.hash(alone, 0, alone.length));
            assertThat(interner.intern(inside, from, from + alone.length))
                    .isSameAs(interner.intern(alone, 0, alone.length))
                    .isEqualTo(value);
        }
    }

    @Test
    void theHashReadsEveryByteOfAnyLength() {
        // Lengths below, at and past the eight bytes read at a time, the last read overlapping.
        for (int length = 1; length <= 40; length++) {
            byte[] value = new byte[length];
            java.util.Arrays.fill(value, (byte) 'a');
            int hash = ByteStringInterner.hash(value, 0, length);
            for (int i = 0; i < length; i++) {
                value[i] = 'b';
                assertThat(ByteStringInterner.hash(value, 0, length))
                        .as("byte %d of %d", i, length)
                        .isNotEqualTo(hash);
                value[i] = 'a';
            }
        }
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
