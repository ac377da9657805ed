import { runDecode } from './decode.js';

const USAGE = `usage: jitlsp <command> [args]

commands:
  decode <bolt12-string>   print an offer (lno1), invoice_request (lnr1) or invoice (lni1) as JSON
`;

/** Entry point of the `jitlsp` command line. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const io = { out: (s: string) => void process.stdout.write(s), err: (s: string) => void process.stderr.write(s) };
  switch (command) {
    case 'decode':
      return runDecode(args, io);
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    default:
      io.err(`jitlsp: unknown command ${JSON.stringify(command ?? '')}\n${USAGE}`);
      return 2;
  }
}
