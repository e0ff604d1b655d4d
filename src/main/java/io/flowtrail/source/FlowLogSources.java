package io.flowtrail.source;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLogFormat;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;

/** Builds the flow-log sources. */
public final class FlowLogSources {
    private FlowLogSources() {}

    /**
     * Every file under the given files and folders (recursively), read once, in the order of the
     * times in their names.
     */
    public static FileSource<FlowRecord> files(List<String> paths, FlowLogFormat fallbackFormat) {
        Path[] flinkPaths = paths.stream().map(Path::new).toArray(Path[]::new);
        return FileSource.forBulkFileFormat(new FlowLogFileFormat(fallbackFormat), flinkPaths)
                .setSplitAssigner(TimeOrderSplitAssigner::new)
                .build();
    }
}
