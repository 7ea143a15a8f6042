package org.mpcwallet.bank.web;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.mpcwallet.bank.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs where the server listens, where its data lives and how to reach the database. */
@Singleton
class StartupLog {
    private static final Logger LOG = LoggerFactory.getLogger(StartupLog.class);
    private final Database database;

    StartupLog(Database database) {
        this.database = database;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        LOG.info("bank-server listening on {} (HTTP port {})", event.getSource().getURL(), event.getSource().getPort());
        if (database.isEmbedded()) {
            LOG.info("Database: embedded PostgreSQL, data directory {}", database.embeddedDataDirectory());
        } else {
            LOG.info("Database: external PostgreSQL (DATABASE_URL)");
        }
        LOG.info("Connect: {}", database.connectHint());
    }
}
