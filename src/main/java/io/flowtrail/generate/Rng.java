package io.flowtrail.generate;

import java.util.SplittableRandom;

/** The generator's seeded random numbers and the few distributions it draws from. */
final class Rng {
    private final SplittableRandom r;

    Rng(long seed) {
        r = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom r) {
        this.r = r;
    }

    /** An independent stream: what one part draws does not shift another part's numbers. */
    Rng split() {
        return new Rng(r.split());
    }

    int nextInt(int bound) {
        return r.nextInt(bound);
    }

    /** Uniform in [lo, hi], both included. */
    int between(int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    long nextLong() {
        return r.nextLong();
    }

    double nextDouble() {
        return r.nextDouble();
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** Log-normal with median {@code median} and shape {@code sigma} (heavy right tail). */
    double logNormal(double median, double sigma) {
        return median * Math.exp(sigma * gaussian());
    }

    /** Pareto with minimum 1 and tail index {@code alpha}: a few heavy talkers, many light ones. */
    double pareto(double alpha) {
        return Math.pow(1 - r.nextDouble(), -1 / alpha);
    }

    /**
     * An index in [0, size) with a log-uniform (Zipf-like) popularity: index 0 is the most popular,
     * half of all draws fall on the first square root of the range.
     */
    long popular(long size) {
        return Math.min(size - 1, (long) Math.exp(r.nextDouble() * Math.log(size + 1.0)) - 1);
    }

    double gaussian() {
        // Box-Muller; one of the pair is enough here.
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** An AWS-style resource id: the prefix and 17 hex digits ({@code eni-0a1b...}). */
    String hexId(String prefix) {
        return prefix + "0" + String.format("%016x", r.nextLong());
    }

    String alnum(int length) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    String upperAlnum(int length) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    String uuid() {
        long a = r.nextLong();
        long b = r.nextLong();
        a = (a & ~0xf000L) | 0x4000L;
        b = (b & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new java.util.UUID(a, b).toString();
    }
}
