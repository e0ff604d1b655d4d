package io.flowtrail.parse;

import io.flowtrail.model.FlowRecord;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Reads the flow-log records of one input (a file or a message), in order. Every record read comes
 * out: as a typed {@link FlowRecord}, or as a dead letter ({@link FlowRecord#deadLetter}) naming
 * the input, the line and the reason. Problems with the input as a whole (it is not a flow log at
 * all) also come out as dead letters; only I/O failures throw.
 */
public interface FlowLogReader extends Closeable {
    /** The next record, or {@code null} at the end. */
    FlowRecord next() throws IOException;

    /** Notes for a person about the input (unknown header fields, skipped control messages). */
    List<String> warnings();

    /** CloudWatch Logs control messages skipped so far (they are not records). */
    long controlMessagesSkipped();
}
