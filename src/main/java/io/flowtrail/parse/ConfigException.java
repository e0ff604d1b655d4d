package io.flowtrail.parse;

/**
 * A network-configuration document or snapshot folder that Flowtrail cannot use. The message names
 * the file, the JSON path inside it and what was expected, e.g. {@code
 * config/2026-11-02T09:00:00Z/sg.json: $.SecurityGroups[3].IpPermissions[0].FromPort: expected an
 * integer, got "x"}.
 */
public class ConfigException extends RuntimeException {
    private final String source;
    private final String path;

    /**
     * @param source the file or folder, as the user named it
     * @param path the JSON path ({@code $.SecurityGroups[3].GroupId}), or {@code null} when the
     *     problem is not inside a document
     * @param problem what was expected and what was found
     */
    public ConfigException(String source, String path, String problem) {
        super(source + ": " + (path == null ? "" : path + ": ") + problem);
        this.source = source;
        this.path = path;
    }

    public ConfigException(String source, String path, String problem, Throwable cause) {
        this(source, path, problem);
        initCause(cause);
    }

    public String source() {
        return source;
    }

    /** The JSON path, or {@code null}. */
    public String path() {
        return path;
    }
}
