package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Flow-log formats: format strings, S3 header lines, and telling a header from a record. */
class FlowLogFormatTest {
    /** Example B's format string as given at creation. */
    private static final String EXAMPLE_B_FORMAT =
            "${version} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${type}"
                    + " ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr}"
                    + " ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${tcp-flags}"
                    + " ${log-status} ${region} ${az-id} ${sublocation-type} ${sublocation-id}"
                    + " ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction}"
                    + " ${traffic-path}";

    /** Example B's S3 header line: the same fields, plain. */
    private static final String EXAMPLE_B_HEADER =
            "version account-id vpc-id subnet-id instance-id interface-id type srcaddr dstaddr"
                    + " srcport dstport pkt-srcaddr pkt-dstaddr protocol packets bytes start end"
                    + " action tcp-flags log-status region az-id sublocation-type sublocation-id"
                    + " pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";

    private static final String EXAMPLE_A_HEADER =
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
                    + " start end action log-status";

    // ------------------------------------------------------------ parse and toString

    @Test
    void dollarBraceFormAndPlainHeaderFormGiveTheSameFormat() {
        FlowLogFormat fromFormatString = FlowLogFormat.parse(EXAMPLE_B_FORMAT);
        FlowLogFormat fromHeader = FlowLogFormat.parse(EXAMPLE_B_HEADER);

        assertThat(fromHeader).isEqualTo(fromFormatString);
        assertThat(fromHeader.hashCode()).isEqualTo(fromFormatString.hashCode());
        assertThat(fromHeader.size()).isEqualTo(29);
        assertThat(fromHeader.field(0)).isEqualTo(FlowLogField.VERSION);
        assertThat(fromHeader.field(28)).isEqualTo(FlowLogField.TRAFFIC_PATH);
    }

    @Test
    void fieldsKeepTheOrderOfTheFormatBytesBeforePackets() {
        FlowLogFormat exampleC = FlowLogFormat.parse("${protocol} ${bytes} ${packets} ${start}");

        assertThat(exampleC.field(1)).isEqualTo(FlowLogField.BYTES);
        assertThat(exampleC.field(2)).isEqualTo(FlowLogField.PACKETS);
    }

    @Test
    void toStringIsTheDollarBraceFormAndParsesBackToAnEqualFormat() {
        FlowLogFormat fromHeader = FlowLogFormat.parse(EXAMPLE_B_HEADER);

        assertThat(fromHeader.toString()).isEqualTo(EXAMPLE_B_FORMAT);
        assertThat(FlowLogFormat.parse(fromHeader.toString())).isEqualTo(fromHeader);
    }

    @Test
    void theDefaultFormatIsTheVersion2FieldsInTheirFixedOrder() {
        assertThat(FlowLogFormat.DEFAULT.toString()).isEqualTo(FlowLogFormat.DEFAULT_FORMAT_STRING);
        assertThat(FlowLogFormat.parse(EXAMPLE_A_HEADER)).isEqualTo(FlowLogFormat.DEFAULT);
        assertThat(FlowLogFormat.DEFAULT.size()).isEqualTo(14);
    }

    @Test
    void differentOrdersAreDifferentFormats() {
        assertThat(FlowLogFormat.parse("srcaddr dstaddr"))
                .isNotEqualTo(FlowLogFormat.parse("dstaddr srcaddr"));
    }

    @Test
    void unknownNamesAreKeptInTheirPlaceAndWrittenBack() {
        String format = "${version} ${quantum-state} ${srcaddr} ${dark-matter}";

        FlowLogFormat parsed = FlowLogFormat.parse(format);

        assertThat(parsed.unknownNames()).containsExactly("quantum-state", "dark-matter");
        assertThat(parsed.field(1)).isEqualTo(FlowLogField.UNKNOWN);
        assertThat(parsed.field(3)).isEqualTo(FlowLogField.UNKNOWN);
        assertThat(parsed.toString()).isEqualTo(format);
    }

    @Test
    void aKnownFormatHasNoUnknownNames() {
        assertThat(FlowLogFormat.parse(EXAMPLE_B_HEADER).unknownNames()).isEmpty();
    }

    @Test
    void parquetColumnNamesWithUnderscoresNameTheSameFields() {
        FlowLogFormat underscores = FlowLogFormat.parse("log_status pkt_src_aws_service az_id");

        assertThat(underscores)
                .isEqualTo(FlowLogFormat.parse("log-status pkt-src-aws-service az-id"));
        assertThat(underscores.toString())
                .isEqualTo("${log-status} ${pkt-src-aws-service} ${az-id}");
    }

    @Test
    void containsAnswersForTheFormatsOwnFieldsOnly() {
        FlowLogFormat exampleE =
                FlowLogFormat.parse(
                        "flow-direction traffic-path srcaddr dstaddr srcport dstport encryption-status");

        assertThat(exampleE.contains(FlowLogField.ENCRYPTION_STATUS)).isTrue();
        assertThat(exampleE.contains(FlowLogField.START)).isFalse();
        assertThat(exampleE.contains(FlowLogField.VERSION)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aFormatWithoutFieldsIsRejected(String format) {
        assertThatThrownBy(() -> FlowLogFormat.parse(format))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a flow-log format needs at least one field");
    }

    @Test
    void anUnclosedFieldIsRejected() {
        assertThatThrownBy(() -> FlowLogFormat.parse("${version} ${srcaddr"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field '${srcaddr' in the flow-log format is not closed by '}'");
    }

    @Test
    void anEmptyDollarBraceIsRejected() {
        assertThatThrownBy(() -> FlowLogFormat.parse("${version} ${}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field '${}' in the flow-log format is not closed by '}'");
    }

    @ParameterizedTest
    @EnumSource(value = FlowLogField.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void everyFieldIsFoundByItsWireNameAndByItsParquetColumnName(FlowLogField field) {
        assertThat(FlowLogField.byName(field.wireName())).isEqualTo(field);
        assertThat(FlowLogField.byName(field.wireName().replace('-', '_'))).isEqualTo(field);
    }

    @Test
    void theQuestionMarkOfUnknownIsNotAFieldName() {
        assertThat(FlowLogField.byName("?")).isNull();
    }

    // ------------------------------------------------------------ header or record

    @ParameterizedTest
    @ValueSource(
            strings = {
                EXAMPLE_A_HEADER,
                EXAMPLE_B_HEADER,
                "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start"
                        + " end action log-status flow-direction ecs-cluster-name ecs-service-name"
                        + " ecs-task-id ecs-container-instance-id reject-reason",
                "flow-direction traffic-path srcaddr dstaddr srcport dstport encryption-status",
                "log-status action interface-id dstport srcport dstaddr srcaddr protocol bytes"
                        + " packets end start account-id version",
                "version account-id quantum-state srcaddr"
            })
    void headerLinesLookLikeHeaders(String line) {
        byte[] b = ascii(line);

        assertThat(FlowLogFormat.looksLikeHeader(b, 0, b.length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // Example E's first record: lower-case words, but '-' and addresses too.
                "ingress - 10.0.133.8 10.0.128.55 43236 80 1",
                "egress 1 10.0.128.55 10.0.133.8 80 43236 1",
                "2 111122223333 eni-0a1b2c3d4e5f60718 198.51.100.24 10.0.1.15 50722 22 6 12 2240"
                        + " 1718028000 1718028058 ACCEPT OK",
                "2 111122223333 eni-0b2c3d4e5f6071829 - - - - - - - 1718028000 1718028060 - NODATA",
                // Only lower-case words, none of them a field name.
                "ingress eni-0a1b2c3d4e5f60718 us-east-1 use1-az4",
                // A format string is not a header line.
                "${version} ${srcaddr}",
                "Version Account-Id"
            })
    void recordLinesDoNotLookLikeHeaders(String line) {
        byte[] b = ascii(line);

        assertThat(FlowLogFormat.looksLikeHeader(b, 0, b.length)).isFalse();
    }

    @Test
    void aHeaderIsJudgedByItsRangeInsideABuffer() {
        String record = "2 111122223333 eni-0a1b2c3d4e5f60718";
        byte[] b = ascii(record + "\n" + EXAMPLE_A_HEADER + "\n" + record);
        int from = record.length() + 1;

        assertThat(FlowLogFormat.looksLikeHeader(b, from, from + EXAMPLE_A_HEADER.length()))
                .isTrue();
        assertThat(FlowLogFormat.looksLikeHeader(b, 0, record.length())).isFalse();
    }

    @Test
    void anEmptyRangeIsNotAHeader() {
        assertThat(FlowLogFormat.looksLikeHeader(new byte[0], 0, 0)).isFalse();
    }
}
