package org.mpcwallet.desktop.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line: {@code wallet [--server URL] [--data-dir DIR] [--json] <command> [args] [options]}.
 * Global options come before the command; each command has its own positional arguments and options (below).
 * Anything else is a {@link UsageException}.
 */
record CommandLine(String server, String dataDir, boolean json, String command, List<String> args,
        Map<String, String> options) {

    /** One command: how many positional arguments, which options take a value, which are flags, which required. */
    private record Spec(String usage, int positionals, Set<String> valued, Set<String> flags, Set<String> required) {}

    static final Map<String, Spec> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("register", new Spec("register <username> [--email ADDRESS]", 1, Set.of("--email"), Set.of(),
                Set.of()));
        COMMANDS.put("login", new Spec("login <username>", 1, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("logout", new Spec("logout", 0, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("whoami", new Spec("whoami", 0, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("create", new Spec("create <name> [--type RETAIL|TREASURY|OPS|SETTLEMENT] [--risk LOW|MEDIUM|HIGH]",
                1, Set.of("--type", "--risk"), Set.of(), Set.of()));
        COMMANDS.put("keygen", new Spec("keygen <walletId>", 1, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("list", new Spec("list", 0, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("requests", new Spec("requests <walletId> [--status PENDING|SIGNED|FAILED|ALL]", 1,
                Set.of("--status"), Set.of(), Set.of()));
        COMMANDS.put("sign", new Spec("sign <requestId> [--yes] [--max-fee-eth ETH]", 1, Set.of("--max-fee-eth"),
                Set.of("--yes"), Set.of()));
        COMMANDS.put("refresh", new Spec("refresh <walletId>", 1, Set.of(), Set.of(), Set.of()));
        Set<String> tx = Set.of("--to", "--value-wei", "--nonce", "--gas-limit", "--max-fee", "--priority-fee",
                "--chain-id");
        Set<String> txAll = new java.util.HashSet<>(tx);
        txAll.add("--data");
        COMMANDS.put("request-sign", new Spec("request-sign <walletId> --to 0x.. --value-wei N --nonce N --gas-limit N"
                + " --max-fee N --priority-fee N --chain-id N [--data 0x..]", 1, Set.copyOf(txAll), Set.of(), tx));
        COMMANDS.put("send", new Spec("send <walletId> --to 0x.. --amount BASE_UNITS [--asset ETH|SYMBOL] [--note TEXT]",
                1, Set.of("--to", "--amount", "--asset", "--note"), Set.of(), Set.of("--to", "--amount")));
        COMMANDS.put("status", new Spec("status <txRequestId>", 1, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("transfers", new Spec("transfers <walletId> [--status STATUS]", 1, Set.of("--status"), Set.of(),
                Set.of()));
        COMMANDS.put("approve", new Spec("approve <txRequestId> [--reject] [--comment TEXT]", 1, Set.of("--comment"),
                Set.of("--reject"), Set.of()));
        COMMANDS.put("cosign", new Spec("cosign <txRequestId> [--yes] [--timeout SECONDS] [--max-fee-eth ETH]", 1,
                Set.of("--timeout", "--max-fee-eth"), Set.of("--yes"), Set.of()));
        COMMANDS.put("grant", new Spec("grant <walletId> <userId> [--role VIEWER|OPERATOR]", 2,
                Set.of("--role"), Set.of(), Set.of()));
        COMMANDS.put("balances", new Spec("balances <walletId>", 1, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("deposits", new Spec("deposits <walletId>", 1, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("backup", new Spec("backup <file>", 1, Set.of(), Set.of(), Set.of()));
        COMMANDS.put("restore", new Spec("restore <file> [--force]", 1, Set.of(), Set.of("--force"), Set.of()));
        COMMANDS.put("help", new Spec("help", 0, Set.of(), Set.of(), Set.of()));
    }

    static String usage() {
        StringBuilder b = new StringBuilder("usage: wallet [--server URL] [--data-dir DIR] [--json] <command>\n");
        b.append("commands:\n");
        COMMANDS.values().forEach(s -> b.append("  ").append(s.usage()).append('\n'));
        b.append("the login password comes from $WALLET_PASSWORD or is prompted; it logs in to the bank (register, "
                + "login)\n");
        b.append("the wallet secret comes from $WALLET_SECRET or is prompted; it seals the shares on this device and "
                + "is never sent to the bank");
        return b.toString();
    }

    static CommandLine parse(String[] argv) {
        String server = null;
        String dataDir = null;
        boolean json = false;
        int i = 0;
        for (; i < argv.length && argv[i].startsWith("-"); i++) {
            String a = argv[i];
            switch (a) {
                case "--server" -> server = value(argv, ++i, a);
                case "--data-dir" -> dataDir = value(argv, ++i, a);
                case "--json" -> json = true;
                case "--help", "-h" -> {
                    return new CommandLine(server, dataDir, json, "help", List.of(), Map.of());
                }
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (i >= argv.length) {
            throw new UsageException("no command given");
        }
        String command = argv[i++];
        Spec spec = COMMANDS.get(command);
        if (spec == null) {
            throw new UsageException("unknown command '" + command + "'");
        }
        List<String> args = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                if (spec.flags().contains(a)) {
                    options.put(a, "true");
                } else if (spec.valued().contains(a)) {
                    if (options.put(a, value(argv, ++i, a)) != null) {
                        throw new UsageException(a + " given twice");
                    }
                } else {
                    throw new UsageException("unknown option " + a + " for " + command + "; usage: wallet "
                            + spec.usage());
                }
            } else {
                args.add(a);
            }
        }
        if (args.size() != spec.positionals()) {
            throw new UsageException(command + " takes " + spec.positionals() + " argument"
                    + (spec.positionals() == 1 ? "" : "s") + ", got " + args.size() + "; usage: wallet " + spec.usage());
        }
        for (String r : spec.required()) {
            if (!options.containsKey(r)) {
                throw new UsageException(command + " needs " + r + "; usage: wallet " + spec.usage());
            }
        }
        return new CommandLine(server, dataDir, json, command, List.copyOf(args), Map.copyOf(options));
    }

    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length || argv[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return argv[i];
    }

    String arg(int i) {
        return args.get(i);
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }
}
