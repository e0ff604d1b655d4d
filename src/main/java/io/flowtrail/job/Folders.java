package io.flowtrail.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders Flowtrail writes and replaces: its output tables, generated input, temporary files. */
public final class Folders {
    private Folders() {}

    /**
     * Deletes a file or folder and everything in it, deepest first; what cannot be deleted (a file
     * another process holds open on some systems) is left.
     */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
