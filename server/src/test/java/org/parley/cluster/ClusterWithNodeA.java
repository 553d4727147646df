package org.parley.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;

/**
 * A cluster whose node "a" runs in the test's process for the whole class; the tests start the
 * other nodes (in-process or as child processes to kill) themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterWithNodeA {
    ClusterTestNodes cluster;
    Server a;

    @BeforeAll
    void startNodeA(@TempDir Path dir) {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }
}
