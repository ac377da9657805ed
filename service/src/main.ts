/**
 * `npm start`: the jitlsp LSP daemon. Reads every setting from the environment (see `.env.example`), starts
 * the daemon core (`daemon.ts`), prints the node id and address, and shuts down in order on SIGINT/SIGTERM
 * within JITLSP_SHUTDOWN_TIMEOUT_SECONDS (a second signal exits at once).
 *
 * Exit codes: 0 clean shutdown, 1 start-up failure or shutdown timeout, 2 invalid configuration.
 */
import { ConfigError } from './config/config-error.js';
import { loadConfig, type ServiceConfig } from './config/config.js';
import { ChainAuthError, WrongNetworkError } from '@jitlsp/engine/chain';
import { Daemon } from './daemon.js';
import { createLogger } from './log.js';

async function main(): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`jitlsp: ${err.message}\nSee .env.example for every variable, its default and unit.\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  // The operator must know where the seed and the promise secret are written (and back them up).
  logger.info('data directory', { dataDir: config.dataDir });

  let daemon: Daemon;
  try {
    daemon = await Daemon.start({ config, logger });
  } catch (err) {
    // A bitcoind on another network or refusing our credentials: one line naming the setting.
    if (err instanceof WrongNetworkError || err instanceof ChainAuthError) {
      process.stderr.write(`jitlsp: ${err.message}\n`);
      process.exit(1);
    }
    logger.error('jitlsp failed to start', { err });
    process.exit(1);
  }

  // The one line an operator (or the demo script) needs: who we are and where to connect.
  process.stdout.write(
    `jitlsp node id ${daemon.node.nodeId}\njitlsp address ${daemon.nodeAddress ?? '(not listening)'}\njitlsp http ${daemon.http.url}\n`,
  );

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn('second signal: exiting without finishing the shutdown', { signal });
      process.exit(1);
    }
    signalled = true;
    logger.info('signal received: shutting down', { signal, timeoutSeconds: config.shutdownTimeoutSeconds });
    const force = setTimeout(() => {
      logger.error('shutdown timed out: exiting', { timeoutSeconds: config.shutdownTimeoutSeconds });
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000);
    force.unref();
    daemon.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

await main();
