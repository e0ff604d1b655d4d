package io.flowtrail.generate;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes a synthetic input set laid out like sample-logs/ ({@code flow-logs/}, {@code cloudtrail/},
 * {@code config/}) and its {@code labels.json}, deterministically: the same options give the same
 * bytes.
 *
 * <p>Flow records: exactly {@code records} of them (more only when the incidents alone need more
 * than the budget of their windows), spread over the windows on a daily rhythm (quietest at 04:00
 * UTC, busiest at 16:00 UTC, 0.4 to 1.0) except the background probes, which are flat. Each window
 * is generated in turn: the incidents' records first, then benign traffic up to the window's
 * budget.
 */
public final class Generator {
    /** What a run wrote. */
    public static final class Result {
        public final long flowRecords;
        public final long incidentRecords;
        public final long rejects;
        public final long ipv6;
        public final long flowLogFiles;
        public final long textBytes;
        public final long fileBytes;
        public final long cloudTrailRecords;
        public final int configSnapshots;
        public final int interfaces;
        public final int incidents;
        public final double seconds;

        Result(
                FlowLogWriter.Counts f,
                CloudTrailWriter.Counts t,
                int snapshots,
                int interfaces,
                int incidents,
                double seconds) {
            flowRecords = f.records;
            incidentRecords = f.incident;
            rejects = f.rejects;
            ipv6 = f.ipv6;
            flowLogFiles = f.files;
            textBytes = f.textBytes;
            fileBytes = f.fileBytes;
            cloudTrailRecords = t.records;
            configSnapshots = snapshots;
            this.interfaces = interfaces;
            this.incidents = incidents;
            this.seconds = seconds;
        }
    }

    private Generator() {}

    public static Result run(GeneratorOptions o) {
        long started = System.nanoTime();
        o.validate();
        Rng master = new Rng(o.seed);
        Rng topologyRng = master.split();
        Rng trafficRng = master.split();
        Rng incidentRng = master.split();
        Rng latenessRng = master.split();
        Rng configRng = master.split();
        Rng trailRng = master.split();
        Rng rhythmRng = master.split();

        Topology topo = new Topology(o, topologyRng);
        IncidentPlan plan = IncidentPlan.parse(o.incidents, o);
        plan.bind(topo, incidentRng);
        List<Incident> incidents = plan.incidents;
        Path out = o.out;

        double[] rhythm = rhythm(o, rhythmRng);
        FlowLogWriter writer = new FlowLogWriter(out, o.gzip, o.seed, latenessRng);
        Traffic traffic = new Traffic(topo, writer, trafficRng, o);
        FlowIncidents flowIncidents = new FlowIncidents(topo, traffic, incidentRng, incidents);
        CloudTrailWriter trail = new CloudTrailWriter(topo, trailRng, o, incidents);

        int windows = o.windows();
        long probes = Math.round(Topology.PROBE_SHARE * o.records / windows);
        long others = o.records - probes * windows;
        long carry = 0;
        double cumulative = 0;
        long assigned = 0;
        for (int w = 0; w < windows; w++) {
            long ws = o.startSeconds() + 300L * w;
            cumulative += rhythm[w];
            long upTo = w == windows - 1 ? others : Math.round(others * cumulative);
            long othersHere = upTo - assigned;
            assigned = upTo;
            if (w == windows - 1) {
                writer.lastWindow();
            }
            long scheduled = flowIncidents.window(ws);
            long available = probes + othersHere - scheduled + carry;
            if (available < 0) {
                carry = available;
                available = 0;
            } else {
                carry = 0;
            }
            long probesHere = Math.min(probesIn(probes, ws, rhythmRng), available);
            traffic.window(ws, probesHere, available - probesHere);
            writer.endWindow(ws, topo.flowLogIds);
        }
        int snapshots = new ConfigWriter(topo, configRng, incidents).write(out, o.startSeconds());
        trail.write(out, rhythm);
        Labels.write(
                out.resolve(Labels.FILE),
                o,
                topo,
                writer.counts,
                trail.counts,
                snapshots,
                incidents);
        return new Result(
                writer.counts,
                trail.counts,
                snapshots,
                topo.enis.length,
                incidents.size(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Background probes in a window: about {@code mean}, varying as counts of independent events do
     * (Poisson), and a little with the hour (scanning campaigns come and go).
     */
    static long probesIn(long mean, long ws, Rng rng) {
        double hour = Math.floorMod(ws, 86400) / 3600.0;
        double m = mean * (1 + 0.08 * Math.sin(2 * Math.PI * hour / 8));
        return Math.max(0, Math.round(m + Math.sqrt(m) * rng.gaussian()));
    }

    /** The share of the day's traffic in each window: sums to 1. */
    static double[] rhythm(GeneratorOptions o, Rng rng) {
        int windows = o.windows();
        double[] r = new double[windows];
        double sum = 0;
        for (int w = 0; w < windows; w++) {
            long mid = o.startSeconds() + 300L * w + 150;
            double hour = Math.floorMod(mid, 86400) / 3600.0;
            double level = 0.4 + 0.6 * 0.5 * (1 - Math.cos(2 * Math.PI * (hour - 4) / 24));
            r[w] = level * (1 + 0.04 * (rng.nextDouble() - 0.5));
            sum += r[w];
        }
        for (int w = 0; w < windows; w++) {
            r[w] /= sum;
        }
        return r;
    }
}
