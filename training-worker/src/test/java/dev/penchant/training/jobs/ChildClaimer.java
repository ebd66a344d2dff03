package dev.penchant.training.jobs;

import dev.penchant.training.queue.ClaimedJob;
import dev.penchant.training.queue.Epoch;
import dev.penchant.training.queue.JobQueue;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A worker in its own JVM for the kill -9 test: claims one job and heartbeats it forever, as a worker
 * in the middle of a long training would. Args: jdbcUrl user workerId heartbeatMillis.
 */
public final class ChildClaimer {
    private ChildClaimer() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(args[0]);
        db.setUser(args[1]);
        JobQueue queue = new JobQueue(db, Duration.ofSeconds(3), 3);
        ClaimedJob job = null;
        for (int i = 0; i < 200 && job == null; i++) {
            job = queue.claim(args[2]).orElse(null);
            if (job == null) Thread.sleep(50);
        }
        if (job == null) {
            System.out.println("NOTHING");
            System.exit(2);
        }
        System.out.println("CLAIMED " + job.id());
        System.out.flush();
        long beat = Long.parseLong(args[3]);
        for (int epoch = 1; ; epoch++) {
            Thread.sleep(beat);
            queue.heartbeat(job, Map.of("epoch", epoch), List.of(new Epoch(epoch, 1.0 / epoch, Map.of())));
        }
    }
}
