package io.flowtrail.detect.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flowtrail.job.JobSpec;
import java.lang.reflect.Field;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class KmsParamsTest {
    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void theDefaultsAreValidAndTheirDurationsParse() throws Exception {
        KmsParams p = new KmsParams();
        assertThat(p.validate()).isNull();
        for (String d :
                List.of(
                        p.suppressFor,
                        p.burstForgetAfter,
                        p.newPrincipalWarmUp,
                        p.newPrincipalRememberFor,
                        p.correlationWindow)) {
            assertThat(JobSpec.parseDuration(d)).isPositive();
        }
    }

    @Test
    void readsTheJobFileSectionByItsKebabCaseKeys() throws Exception {
        KmsParams p =
                YAML.readValue(
                        String.join(
                                "\n",
                                "trusted-accounts: ['444455556666']",
                                "burst-floor: 250",
                                "new-principal-warm-up: 2d",
                                "private-principals:",
                                "  - arn:aws:iam::111122223333:role/training",
                                "allowed-source-cidrs: [10.20.0.0/16]",
                                "correlation-window: 45m"),
                        KmsParams.class);
        assertThat(p.validate()).isNull();
        assertThat(p.trustedAccounts).containsExactly("444455556666");
        assertThat(p.burstFloor).isEqualTo(250);
        assertThat(p.newPrincipalWarmUp).isEqualTo("2d");
        assertThat(p.burstEventNames).contains("Decrypt"); // defaults kept
        assertThat(p.allowedSource("10.20.11.40")).isTrue();
        assertThat(p.allowedSource("192.0.2.13")).isFalse();
        assertThat(p.allowedSource("s3.amazonaws.com")).isFalse();

        Assertions.assertThatThrownBy(() -> YAML.readValue("burst-flor: 3", KmsParams.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void everyKeyIsKebabCase() {
        for (Field f : KmsParams.class.getFields()) {
            com.fasterxml.jackson.annotation.JsonProperty name =
                    f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            assertThat(name).as(f.getName()).isNotNull();
            assertThat(name.value()).matches("[a-z]+(-[a-z]+)*");
        }
    }

    @Test
    void badValuesNameTheirKey() {
        assertThat(with(p -> p.trustedAccounts.add("4444"))).startsWith("trusted-accounts:");
        assertThat(with(p -> p.burstFloor = 0)).startsWith("burst-floor:");
        assertThat(with(p -> p.burstK = 0)).startsWith("burst-k:");
        assertThat(with(p -> p.burstPeakFactor = 0.5)).startsWith("burst-peak-factor:");
        assertThat(with(p -> p.burstPeakDays = 0)).startsWith("burst-peak-days:");
        assertThat(with(p -> p.burstWarmUpWindows = 0)).startsWith("burst-warm-up-windows:");
        assertThat(with(p -> p.burstEventNames.clear())).startsWith("burst-event-names:");
        assertThat(with(p -> p.newPrincipalMaxPerKey = 0)).startsWith("new-principal-max-per-key:");
        assertThat(with(p -> p.deniedMinCalls = 0)).startsWith("denied-min-calls:");
        assertThat(with(p -> p.privateKeys.add("alias/backup"))).startsWith("private-keys:");
        assertThat(with(p -> p.privatePrincipals.add("backup"))).startsWith("private-principals:");
        assertThat(with(p -> p.allowedVpcEndpoints.add("vpc-1")))
                .startsWith("allowed-vpc-endpoints:");
        assertThat(with(p -> p.allowedSourceCidrs.add("10.20.0.0/33")))
                .startsWith("allowed-source-cidrs:");
        assertThat(with(p -> p.ignoreServices = null)).contains("ignore-services");
    }

    @Test
    void servicePatternsMatchWholeNames() {
        KmsParams p = new KmsParams();
        p.ignoreServices = List.of("*.amazonaws.com", "AWS Internal");
        assertThat(p.ignoredService("ec2.amazonaws.com")).isTrue();
        assertThat(p.ignoredService("AWS Internal")).isTrue();
        assertThat(p.ignoredService("evil.example.com")).isFalse();
        assertThat(KmsParams.glob("logs.*.amazonaws.com", "logs.us-east-1.amazonaws.com")).isTrue();
        assertThat(KmsParams.glob("logs.*.amazonaws.com", "logs.amazonaws.com")).isFalse();
        assertThat(KmsParams.glob("a*a", "a")).isFalse();
    }

    static String with(java.util.function.Consumer<KmsParams> change) {
        KmsParams p = new KmsParams();
        change.accept(p);
        String problem = p.validate();
        assertThat(problem).isNotNull();
        return problem;
    }
}
