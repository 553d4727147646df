package org.parley.feature.pep;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.PostgresStoresExtension;
import org.parley.store.sql.SqlStores;

/**
 * The PEP store contract on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), in a
 * database created for this class and dropped afterwards. Skipped when PostgreSQL is not
 * running, except on CI where that is a failure.
 */
class PostgresPubSubStoreTest extends PubSubStoreContractTest {

    @RegisterExtension
    static final PostgresStoresExtension POSTGRES = new PostgresStoresExtension("parley_pubsub");

    @Override
    protected SqlStores stores() {
        return POSTGRES.stores();
    }
}
