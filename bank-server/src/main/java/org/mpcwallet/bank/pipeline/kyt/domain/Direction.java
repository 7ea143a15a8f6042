package org.mpcwallet.bank.pipeline.kyt.domain;


/** Which way value moves relative to the bank: OUTBOUND to the screened address, INBOUND from it (deposits). */
public enum Direction {
    OUTBOUND, INBOUND
}
