package io.flowtrail.config;

import io.flowtrail.model.Cidr;

/** A CIDR block with its masks precomputed: the per-flow containment test is three compares. */
final class Block {
    final byte family;
    final long hi;
    final long lo;
    final long hiMask;
    final long loMask;
    final Cidr cidr;

    Block(Cidr cidr) {
        this.cidr = cidr;
        this.family = cidr.family();
        this.hi = cidr.hi();
        this.lo = cidr.lo();
        this.hiMask = cidr.hiMask();
        this.loMask = cidr.loMask();
    }

    boolean contains(byte family, long hi, long lo) {
        return family == this.family && (hi & hiMask) == this.hi && (lo & loMask) == this.lo;
    }

    static Block[] of(Iterable<Cidr> cidrs) {
        java.util.List<Block> blocks = new java.util.ArrayList<>();
        for (Cidr c : cidrs) {
            blocks.add(new Block(c));
        }
        return blocks.toArray(new Block[0]);
    }

    static boolean anyContains(Block[] blocks, byte family, long hi, long lo) {
        for (Block b : blocks) {
            if (b.contains(family, hi, lo)) {
                return true;
            }
        }
        return false;
    }
}
