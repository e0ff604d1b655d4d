package io.flowtrail.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic alert ids: the same input gives the same id in every mode and on every run. */
public final class AlertIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AlertIds() {}

    /**
     * Lower-case hex of the first 16 bytes of SHA-256 over the parts joined with {@code |} (UTF-8),
     * e.g. {@code of("config_posture", "sg_open_admin_port", "sg-0abc/ingress/0",
     * "1793613600000")}. A {@code null} part is written as the empty string.
     */
    public static String of(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                joined.append('|');
            }
            joined.append(parts[i] == null ? "" : parts[i]);
        }
        byte[] digest;
        try {
            digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(joined.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        char[] hex = new char[32];
        for (int i = 0; i < 16; i++) {
            hex[2 * i] = HEX[(digest[i] >>> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(hex);
    }
}
