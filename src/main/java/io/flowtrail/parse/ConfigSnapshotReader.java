package io.flowtrail.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.config.ConfigSnapshot;
import io.flowtrail.config.ConfigTimeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads network-configuration snapshots from folders. THE CONTRACT (sample snapshots are written to
 * it):
 *
 * <ul>
 *   <li>{@code --config PATH} points at a folder. If the folder has subfolders, each subfolder is
 *       one snapshot; its time is its name as an ISO-8601 UTC instant ({@code
 *       2026-11-02T09:00:00Z}; also accepted: {@code 2026-11-02T09-00-00Z} and {@code
 *       20261102T090000Z}), or a {@code snapshot.json} manifest inside it {@code {"time":
 *       "2026-11-02T09:00:00Z"}} (the manifest wins). If the folder directly holds {@code *.json}
 *       documents (no subfolders), it is one snapshot whose time is its manifest's, or, without a
 *       manifest, in force from the beginning of time ({@link ConfigSnapshot#BEGINNING_OF_TIME},
 *       {@code Long.MIN_VALUE}).
 *   <li>Snapshots are versions over time, sorted by time. A snapshot that holds only some documents
 *       REPLACES those document kinds and KEEPS the others from the previous snapshot (per prefix
 *       list for prefix-list entries; {@code SecurityGroups} and {@code SecurityGroupRules} are
 *       replaced together). A {@link ConfigSnapshot} is {@code long effectiveFromMillis}, {@code
 *       String source} (the folder) and the merged documents as a {@code SortedMap<String, String>}
 *       from a document key (its kind, e.g. {@code SecurityGroups}, or {@code
 *       PrefixListEntries:pl-0abc}) to the raw JSON text.
 *   <li>A folder with a bad document fails with the {@link ConfigException} naming the file and the
 *       JSON path. {@code .json.gz} files are accepted too. {@code snapshot.json} is not a
 *       document.
 *   <li>A flow is evaluated against the snapshot in force at its {@code start}: the latest snapshot
 *       with effectiveFrom &lt;= start ({@link ConfigTimeline#at}, {@code null} before the first).
 * </ul>
 *
 * <p>Details of the contract:
 *
 * <ul>
 *   <li>Each document is recognised by its content ({@link ConfigParser}), never by its file name;
 *       only {@code get-managed-prefix-list-entries} output may take its list id from its file name
 *       ({@code pl-0abc1234.json}). Several files of the same kind in one snapshot (pages, one per
 *       VPC or account) are combined into one document of that kind.
 *   <li>Snapshots with the same time (from two {@code --config} paths, or two folders naming the
 *       same instant in different forms) are one snapshot: their files are combined as if they were
 *       in one folder.
 *   <li>Files that are neither {@code .json} nor {@code .json.gz} (a README, {@code .gitkeep}) and
 *       names starting with a dot are ignored. A folder that holds both subfolders and documents, a
 *       folder inside a snapshot folder, and a subfolder with neither an instant for a name nor a
 *       manifest are errors.
 *   <li>{@code --config} may also name a single document file: a snapshot from the beginning of
 *       time holding that document.
 *   <li>An empty folder is no snapshot at all: every flow is then unattributed.
 * </ul>
 */
public final class ConfigSnapshotReader {
    public static final String MANIFEST = "snapshot.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DASHED =
            Pattern.compile("(\\d{4}-\\d{2}-\\d{2})T(\\d{2})-(\\d{2})-(\\d{2})Z");
    private static final Pattern COMPACT =
            Pattern.compile("(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})Z");
    private static final Pattern ISO =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    private ConfigSnapshotReader() {}

    /** The timeline of the snapshots under one or more {@code --config} paths. */
    public static ConfigTimeline read(List<Path> configPaths) {
        List<Folder> folders = new ArrayList<>();
        for (Path path : configPaths) {
            folders.addAll(folders(path));
        }
        return ConfigTimeline.of(combine(folders));
    }

    /** The timeline of the snapshots under one {@code --config} path. */
    public static ConfigTimeline read(Path configPath) {
        return read(List.of(configPath));
    }

    /** The snapshots under one {@code --config} path as read (each possibly partial), by time. */
    public static List<ConfigSnapshot> readVersions(Path configPath) {
        return combine(folders(configPath));
    }

    /**
     * One snapshot from documents read elsewhere (another file system, a stream): file name to
     * text. File names matter only for {@code snapshot.json}, which is skipped, and for naming a
     * prefix list's entries.
     */
    public static ConfigSnapshot snapshot(
            String source, long effectiveFromMillis, Map<String, String> textsByFileName) {
        List<ConfigDocument> documents = new ArrayList<>();
        new TreeMap<>(textsByFileName)
                .forEach(
                        (name, text) -> {
                            if (!name.equals(MANIFEST)) {
                                documents.add(ConfigParser.parse(source + "/" + name, text));
                            }
                        });
        return new ConfigSnapshot(effectiveFromMillis, source, combineDocuments(documents));
    }

    /**
     * Epoch milliseconds of a snapshot time: {@code 2026-11-02T09:00:00Z} (fractions allowed),
     * {@code 2026-11-02T09-00-00Z} or {@code 20261102T090000Z}; {@code null} when the text is none
     * of these.
     */
    public static Long parseTime(String text) {
        String iso = null;
        if (ISO.matcher(text).matches()) {
            iso = text;
        } else {
            Matcher m = DASHED.matcher(text);
            if (m.matches()) {
                iso = m.group(1) + "T" + m.group(2) + ":" + m.group(3) + ":" + m.group(4) + "Z";
            } else if ((m = COMPACT.matcher(text)).matches()) {
                iso =
                        m.group(1)
                                + "-"
                                + m.group(2)
                                + "-"
                                + m.group(3)
                                + "T"
                                + m.group(4)
                                + ":"
                                + m.group(5)
                                + ":"
                                + m.group(6)
                                + "Z";
            }
        }
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- folders

    /** One snapshot folder's parsed documents and time. */
    private record Folder(String source, long time, List<ConfigDocument> documents) {}

    private static List<Folder> folders(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(
                    new Folder(
                            path.toString(),
                            ConfigSnapshot.BEGINNING_OF_TIME,
                            List.of(ConfigParser.parse(path))));
        }
        if (!Files.isDirectory(path)) {
            throw new ConfigException(path.toString(), null, "no such file or folder");
        }
        List<Path> subfolders = new ArrayList<>();
        List<Path> documents = new ArrayList<>();
        Path manifest = null;
        for (Path p : list(path)) {
            String name = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                subfolders.add(p);
            } else if (name.equals(MANIFEST)) {
                manifest = p;
            } else if (isDocument(name)) {
                documents.add(p);
            }
        }
        if (!subfolders.isEmpty()) {
            if (!documents.isEmpty() || manifest != null) {
                throw new ConfigException(
                        path.toString(),
                        null,
                        "holds both snapshot folders and documents ("
                                + (manifest != null ? MANIFEST : documents.get(0).getFileName())
                                + "): put the documents in a snapshot folder named by the instant"
                                + " from which they hold");
            }
            List<Folder> folders = new ArrayList<>();
            for (Path sub : subfolders) {
                folders.add(snapshotFolder(sub, null));
            }
            return folders;
        }
        if (documents.isEmpty() && manifest == null) {
            return List.of();
        }
        return List.of(snapshotFolder(path, ConfigSnapshot.BEGINNING_OF_TIME));
    }

    /**
     * A folder of documents; its time from the manifest, else its name, else {@code defaultTime}.
     */
    private static Folder snapshotFolder(Path folder, Long defaultTime) {
        Long time = null;
        List<ConfigDocument> documents = new ArrayList<>();
        for (Path p : list(folder)) {
            String name = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                throw new ConfigException(
                        p.toString(),
                        null,
                        "a folder inside the snapshot folder "
                                + folder
                                + ": a snapshot is one folder of describe-* documents");
            } else if (name.equals(MANIFEST)) {
                time = manifestTime(p);
            } else if (isDocument(name)) {
                documents.add(ConfigParser.parse(p));
            }
        }
        if (time == null) {
            time = parseTime(folder.getFileName().toString());
        }
        if (time == null) {
            time = defaultTime;
        }
        if (time == null) {
            throw new ConfigException(
                    folder.toString(),
                    null,
                    "a snapshot folder is named by the UTC instant from which it holds"
                            + " (2026-11-02T09:00:00Z, 2026-11-02T09-00-00Z or 20261102T090000Z)"
                            + " or holds a snapshot.json manifest {\"time\": \"2026-11-02T09:00:00Z\"}");
        }
        return new Folder(folder.toString(), time, documents);
    }

    private static long manifestTime(Path manifest) {
        String source = manifest.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(ConfigParser.readText(manifest));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(
                    source, "$", "expected an object {\"time\": \"2026-11-02T09:00:00Z\"}");
        }
        JsonNode time = root.get("time");
        if (time == null || !time.isTextual()) {
            throw new ConfigException(
                    source,
                    "$.time",
                    "expected a UTC instant like \"2026-11-02T09:00:00Z\", "
                            + (time == null ? "but the key is missing" : "got " + time));
        }
        Long millis = parseTime(time.asText());
        if (millis == null) {
            throw new ConfigException(
                    source,
                    "$.time",
                    "expected a UTC instant like \"2026-11-02T09:00:00Z\", got " + time);
        }
        return millis;
    }

    private static boolean isDocument(String name) {
        return !name.startsWith(".") && (name.endsWith(".json") || name.endsWith(".json.gz"));
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(folder.toString(), null, "cannot list: " + e, e);
        }
    }

    // ---- combining

    /** One snapshot per distinct time, sorted by time; folders with the same time combined. */
    private static List<ConfigSnapshot> combine(List<Folder> folders) {
        TreeMap<Long, List<Folder>> byTime = new TreeMap<>();
        for (Folder f : folders) {
            byTime.computeIfAbsent(f.time(), t -> new ArrayList<>()).add(f);
        }
        List<ConfigSnapshot> snapshots = new ArrayList<>();
        byTime.forEach(
                (time, group) -> {
                    List<ConfigDocument> documents = new ArrayList<>();
                    List<String> sources = new ArrayList<>();
                    for (Folder f : group) {
                        documents.addAll(f.documents());
                        sources.add(f.source());
                    }
                    snapshots.add(
                            new ConfigSnapshot(
                                    time, String.join(", ", sources), combineDocuments(documents)));
                });
        return snapshots;
    }

    /** Raw JSON by key; several documents with one key become one with their arrays joined. */
    static Map<String, String> combineDocuments(List<ConfigDocument> documents) {
        Map<String, List<ConfigDocument>> byKey = new LinkedHashMap<>();
        for (ConfigDocument d : documents) {
            byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d);
        }
        Map<String, String> out = new TreeMap<>();
        byKey.forEach(
                (key, same) -> {
                    if (same.size() == 1) {
                        out.put(key, same.get(0).json());
                        return;
                    }
                    String arrayKey = same.get(0).kind().topLevelKey();
                    ObjectNode joined = MAPPER.createObjectNode();
                    if (same.get(0).kind() == DocumentKind.PREFIX_LIST_ENTRIES) {
                        joined.put("PrefixListId", key.substring(key.indexOf(':') + 1));
                    }
                    ArrayNode items = joined.putArray(arrayKey);
                    for (ConfigDocument d : same) {
                        try {
                            items.addAll((ArrayNode) MAPPER.readTree(d.json()).get(arrayKey));
                        } catch (JsonProcessingException e) {
                            throw new IllegalStateException("parsed once already", e);
                        }
                    }
                    out.put(key, joined.toString());
                });
        return out;
    }
}
